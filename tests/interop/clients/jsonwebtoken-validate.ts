/**
 * An API's token check in Node with `jsonwebtoken` + `jwks-rsa`, configured as Auth0's and
 * Microsoft's Node samples do: keys from the authority's JWKS (cached, rate-limited), RS256 only,
 * the issuer and the audience checked.
 *
 * Configured from the environment: AUTHORITY (https://localhost:4400/{tenant ID}) and AUDIENCE
 * (the API's application ID). Tokens: argv, each as label=token. Trust for the tenant's TLS
 * certificate: NODE_EXTRA_CA_CERTS=.lab/ca/ca.pem.
 * Prints {results: {label: {valid, claims | error}}}.
 */
import jwt, { type GetPublicKeyOrSecret, type JwtPayload } from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';

const authority = process.env.AUTHORITY as string;
const audience = process.env.AUDIENCE as string;

// #region configure
const issuer = `${authority}/v2.0`;
const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
const keys = jwksClient({ jwksUri: discovery.jwks_uri, cache: true, rateLimit: true, jwksRequestsPerMinute: 10 });
const signingKey: GetPublicKeyOrSecret = (header, callback) => {
  keys.getSigningKey(header.kid, (error, key) => callback(error, key?.getPublicKey()));
};
// #endregion configure

// #region validate
function validate(token: string): Promise<JwtPayload> {
  return new Promise((resolve, reject) => {
    jwt.verify(token, signingKey, { algorithms: ['RS256'], issuer, audience }, (error, payload) =>
      error ? reject(error) : resolve(payload as JwtPayload),
    );
  });
}
// #endregion validate

const results: Record<string, unknown> = {};
for (const arg of process.argv.slice(2)) {
  const [label, token] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
  try {
    results[label] = { valid: true, claims: await validate(token) };
  } catch (error) {
    results[label] = { valid: false, error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}
console.log(JSON.stringify({ jwks_uri: discovery.jwks_uri, results }));
