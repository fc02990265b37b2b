/**
 * The authorization request of Authorization Code + PKCE (RFC 6749 §4.1.1, RFC 7636 §4.3), as the
 * step-through sends it. MSAL.js builds the same request for the sign-in widget; here every
 * parameter is visible.
 */

export interface AuthorizeRequest {
  authorizationEndpoint: string;
  clientId: string;
  redirectUri: string;
  /** Space-separated; OIDC scopes plus the API's delegated scopes. */
  scope: string;
  state: string;
  nonce: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256' | 'plain';
  /** `none` completes without UI when the tenant already has a session (OIDC Core §3.1.2.1). */
  prompt?: 'none' | 'login' | 'select_account' | 'consent';
  loginHint?: string;
  /** Where the code comes back: the query (default) or the fragment, as MSAL.js asks for it. */
  responseMode?: 'query' | 'fragment';
}

export function buildAuthorizeUrl(request: AuthorizeRequest): string {
  const url = new URL(request.authorizationEndpoint);
  const params: Record<string, string | undefined> = {
    client_id: request.clientId,
    response_type: 'code',
    redirect_uri: request.redirectUri,
    response_mode: request.responseMode ?? 'query',
    scope: request.scope,
    state: request.state,
    nonce: request.nonce,
    code_challenge: request.codeChallenge,
    code_challenge_method: request.codeChallengeMethod,
    prompt: request.prompt,
    login_hint: request.loginHint,
  };
  for (const [name, value] of Object.entries(params)) if (value) url.searchParams.set(name, value);
  return url.href;
}

const base64urlJson = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * `state` in the shape MSAL.js gives it: base64url of `{"id","meta":{"interactionType":"popup"}}`.
 * The lab's `/redirect.html` runs msal-browser's redirect bridge, which reads that shape and posts
 * the response on a BroadcastChannel named by `id`. Reusing the bridge means the step-through needs
 * no redirect URI of its own: the registered ones stay exactly those of the app registration.
 */
export function popupLibraryState(id: string): string {
  return base64urlJson({ id, meta: { interactionType: 'popup' } });
}

export function libraryStateId(state: string): string | undefined {
  try {
    const [library = ''] = state.split('|');
    const json = JSON.parse(atob(library.replace(/-/g, '+').replace(/_/g, '/'))) as { id?: unknown };
    return typeof json.id === 'string' ? json.id : undefined;
  } catch {
    return undefined;
  }
}
