/**
 * How the tenant reads an external issuer's keys for workload identity federation: Entra
 * "validates the external token against the OpenID Connect (OIDC) issuer URL on the external IdP"
 * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation#how-it-works), that is
 * `{issuer}/.well-known/openid-configuration`, then the keys at its `jwks_uri`.
 *
 * The one external issuer the sandbox trusts is its own workload issuer, served by this same
 * process, so the documents are read in-process (the same objects its HTTP endpoints answer with):
 * no loopback request, and it works in HTTPS mode with a self-signed certificate too. The checks are
 * the ones a fetch would need: the discovery document names the issuer it was asked for, and its
 * `jwks_uri` is the one the keys come from.
 */
import type { IncomingMessage } from 'node:http';
import { requestFacts, type TenantContext } from './context.ts';
import type { IssuerMetadata } from './federatedAssertion.ts';

export async function resolveIssuerMetadata(
  tenant: TenantContext,
  req: IncomingMessage,
  issuer: string,
): Promise<IssuerMetadata | undefined> {
  const known = tenant.workloadIssuer;
  if (issuer !== known.issuer) return undefined;
  const discovery = known.discoveryDocument();
  if (discovery.issuer !== issuer || discovery.jwks_uri !== `${issuer}/.well-known/jwks`) return undefined;
  const jwks = known.jwks();
  const facts = requestFacts(req);
  tenant.events.publish({
    name: 'workload.keys.fetch',
    leg: 'jwks',
    flow: 'workload-identity',
    sessionId: facts.sessionId,
    correlationId: facts.correlationId,
    summary: `GET ${issuer}/.well-known/openid-configuration, then ${discovery.jwks_uri}`,
    http: { method: 'GET', path: new URL(discovery.jwks_uri).pathname, status: 200 },
    detail: { issuer: discovery.issuer, jwks_uri: discovery.jwks_uri, kids: jwks.keys.map((key) => key.kid) },
  });
  return { jwks };
}
