/**
 * The scopes a sign-in asks for: OpenID Connect's (`openid profile`), a refresh token
 * (`offline_access`) and the API's delegated scopes, consented in one go.
 * https://learn.microsoft.com/entra/identity-platform/scopes-oidc
 */
import type { PublicLabConfig } from '../../config/lab.ts';

export function delegatedScope(config: PublicLabConfig): string {
  return ['openid', 'profile', 'offline_access', ...config.delegatedScopes].join(' ');
}
