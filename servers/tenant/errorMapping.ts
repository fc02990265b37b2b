/**
 * oidc-provider's errors → the AADSTS code Entra answers with in the same situation. Errors the
 * tenant raises itself already carry their code (`AADSTS…:` at the start of the description).
 */
import type { TenantContext } from './context.ts';
import { type EntraError, entraError, TENANT_ERROR_CODES, type TenantErrorCode } from './entraErrors.ts';

const KNOWN_CODES = new Set<string>(TENANT_ERROR_CODES);

/** An error the tenant raised inside oidc-provider: its description starts with the AADSTS code. */
function alreadyEntra(description: unknown): TenantErrorCode | undefined {
  const code = /^(AADSTS\d+):/.exec(String(description ?? ''))?.[1];
  return code && KNOWN_CODES.has(code) ? (code as TenantErrorCode) : undefined;
}

/** The rest of an already-rendered summary, kept verbatim through a re-render. */
function passThrough(code: TenantErrorCode, description: unknown, error: string): EntraError {
  return { code, error, filledMessage: String(description).slice(code.length + 2) };
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The parameter oidc-provider says is missing: "missing required parameter 'code'" or "…(code)". */
function missingParameter(description: string): string | undefined {
  return /missing required parameters?:? '?([a-z_]+)'?/i.exec(description)?.[1];
}

/** Errors Entra shows on its own error page instead of redirecting (unknown app, bad redirect URI…). */
export function mapPageError(tenant: TenantContext, error: string, description: unknown, params: Record<string, unknown> = {}): EntraError {
  const code = alreadyEntra(description);
  if (code) return passThrough(code, description, error);
  const clientId = str(params.client_id);
  switch (error) {
    case 'invalid_redirect_uri':
      return entraError('AADSTS50011', { redirect_uri: str(params.redirect_uri), client_id: clientId });
    case 'invalid_client':
      return entraError('AADSTS700016', { client_id: clientId, tenant: tenant.directory.tenantDomain });
    default:
      return mapAuthorizeError(error, description, params);
  }
}

/** Errors that go back to the app on its redirect URI (`error` and `error_description`). */
export function mapAuthorizeError(error: string, description: unknown, params: Record<string, unknown> = {}): EntraError {
  const code = alreadyEntra(description);
  if (code) return passThrough(code, description, error);
  const text = String(description ?? '');
  switch (error) {
    case 'login_required':
      return entraError('AADSTS50058', {}, { error });
    case 'consent_required':
    case 'interaction_required':
    case 'account_selection_required':
      return entraError(error === 'consent_required' ? 'AADSTS65001' : 'AADSTS50058', { client_id: str(params.client_id) }, { error });
    case 'access_denied':
      return entraError('AADSTS65004');
    case 'invalid_scope':
      return entraError('AADSTS70011', { scope: str(params.scope) });
    case 'invalid_target':
      return entraError('AADSTS500011', { resource: str(params.resource) });
    case 'unsupported_response_type':
    case 'unauthorized_client':
      return entraError('AADSTS700054', {}, { error });
    case 'unsupported_response_mode':
      return entraError('AADSTS9002313', {}, { error: 'invalid_request' });
    case 'invalid_request': {
      if (/code_challenge_method/.test(text)) return entraError('AADSTS50149');
      const missing = missingParameter(text);
      if (missing) return entraError('AADSTS900144', { param: missing });
      return entraError('AADSTS9002313');
    }
    default:
      return entraError('AADSTS9002313', {}, { error });
  }
}

export interface TokenErrorContext {
  grantType?: string;
  params: Record<string, string>;
  spa: boolean;
  /** The redirect URI the code was issued for. */
  codeRedirectUri?: string;
  /** When the refresh token's chain was first issued, epoch seconds. */
  refreshTokenIssuedAt?: number;
}

/** Token-endpoint errors: oidc-provider's `error` plus its internal `error_detail`. */
export function mapTokenError(error: string, description: unknown, detail: string | undefined, context: TokenErrorContext): EntraError {
  const code = alreadyEntra(description);
  if (code) return passThrough(code, description, error);
  const why = `${detail ?? ''} ${String(description ?? '')}`;
  switch (error) {
    case 'invalid_grant':
      if (/already consumed/.test(why)) return entraError('AADSTS54005');
      if (/authorization code is expired/.test(why)) return entraError('AADSTS70008');
      if (/redirect_uri mismatch/.test(why)) return entraError('AADSTS70000');
      if (/code_verifier|code_challenge/.test(why)) return entraError('AADSTS501481');
      if (/refresh token is expired/.test(why)) {
        const issuedAt = context.refreshTokenIssuedAt ? new Date(context.refreshTokenIssuedAt * 1000).toISOString() : undefined;
        return context.spa ? entraError('AADSTS700084', { lifetime: '1.00:00:00', issued_at: issuedAt }) : entraError('AADSTS70008');
      }
      // A grant that a sign-out or reset revoked (a used refresh token stays valid, see ./adapter.ts).
      if (/grant not found|grant is expired/.test(why)) return entraError('AADSTS70008');
      return entraError('AADSTS9002313', {}, { error: 'invalid_grant' });
    case 'invalid_scope':
      // Scopes the user never consented to, asked for with a refresh token or a code.
      return context.grantType === 'client_credentials'
        ? entraError('AADSTS70011', { scope: context.params.scope })
        : entraError('AADSTS65001', { client_id: context.params.client_id });
    case 'invalid_target':
      return entraError('AADSTS500011', { resource: context.params.resource ?? context.params.scope });
    case 'unsupported_grant_type':
      return entraError('AADSTS70003', { grant_type: context.params.grant_type });
    case 'invalid_client':
      return entraError('AADSTS7000215', { client_id: context.params.client_id });
    case 'invalid_request': {
      const missing = missingParameter(why);
      return missing ? entraError('AADSTS900144', { param: missing }) : entraError('AADSTS9002313');
    }
    default:
      return entraError('AADSTS9002313', {}, { error: error === 'server_error' ? 'invalid_request' : error });
  }
}
