/**
 * Entra's ID token, signed once. oidc-provider builds its claims (the user's, `nonce`, `sid`,
 * `auth_time`, the pairwise `sub`); the tenant gives them Entra's shape (./tokenShapes.ts) and signs
 * with Entra's header (`typ: JWT`), with the key oidc-provider signs everything else with.
 *
 * oidc-provider's `formats.customizers` reach access tokens only, so `IdToken#issue` is wrapped for
 * `use: 'idtoken'` (as ./configuration.ts does for the Client model's redirect URI check). Before,
 * the tenant re-signed the ID token oidc-provider had already signed: two RSA signatures for one
 * token. The code → tokens leg used 1.30× the CPU of a stock oidc-provider; signed once, 1.07×
 * (bench/signin-legs.bench.ts).
 */
import type Provider from 'oidc-provider';
import type { TenantContext } from './context.ts';
import { ID_TOKEN_LIFETIME_SECONDS, shapeIdTokenClaims } from './tokenShapes.ts';
import { signToken } from './tokenSigner.ts';

export function issueEntraIdTokens(provider: Provider, tenant: TenantContext): void {
  const model = provider.IdToken.prototype;
  const issue = model.issue;
  model.issue = async function (this: InstanceType<Provider['IdToken']>, options) {
    if (options.use !== 'idtoken') return issue.call(this, options);
    const iat = Math.floor(Date.now() / 1000);
    const claims = {
      ...(await this.payload()),
      aud: this.client.clientId,
      iss: provider.issuer,
      iat,
      exp: options.expiresAt ?? iat + ID_TOKEN_LIFETIME_SECONDS,
    };
    return signToken(tenant.keys.active, shapeIdTokenClaims(claims, tenant.directory));
  };
}
