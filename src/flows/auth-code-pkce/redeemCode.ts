/**
 * The back-channel half: redeeming the code at the token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.5).
 * It is a cross-origin `fetch` from the page, so the browser adds the `Origin` header that Entra
 * requires for codes issued to a single-page app. The tenant's answer is returned as it came, error
 * or not: the page shows the tenant's own `error`, `error_description` and `error_codes`.
 */
import { TenantUnreachableError } from '../tenantReachable.ts';

export interface TokenRequestParams {
  tokenEndpoint: string;
  clientId: string;
  code: string;
  redirectUri: string;
  /** Omitted to show what happens without one. */
  codeVerifier?: string;
  scope?: string;
}

export interface TokenEndpointAnswer {
  status: number;
  /** The JSON body: tokens (RFC 6749 §5.1) or an error (§5.2). */
  body: Record<string, unknown>;
  /** The form that was posted, for display (the verifier is not secret once the code is spent). */
  form: Record<string, string>;
}

export async function redeemCode(params: TokenRequestParams): Promise<TokenEndpointAnswer> {
  const form: Record<string, string> = {
    client_id: params.clientId,
    grant_type: 'authorization_code',
    code: params.code,
    redirect_uri: params.redirectUri,
  };
  if (params.scope) form.scope = params.scope;
  if (params.codeVerifier !== undefined) form.code_verifier = params.codeVerifier;
  let response: Response;
  try {
    response = await fetch(params.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
  } catch (error) {
    throw new TenantUnreachableError(params.tokenEndpoint, error);
  }
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { error: 'non_json_response', error_description: `HTTP ${response.status}: ${text.slice(0, 300)}` };
  }
  return { status: response.status, body, form };
}
