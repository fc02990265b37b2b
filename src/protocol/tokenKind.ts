/**
 * Recognises what kind of token a decoded JWT is, from its claims alone, and says why.
 * Entra access tokens are not RFC 9068 tokens (`typ` is `JWT`, not `at+jwt`), so the signals are
 * Entra's own: `scp` for delegated tokens, `roles` + `idtyp`/`oid == sub` for app-only tokens,
 * `nonce`/no scopes for ID tokens, `iss == sub` + a token-endpoint `aud` for client assertions.
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
 */
import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import { sandboxApps } from '../config/sandbox.ts';

export type TokenKind =
  /** An access token issued to an app acting for a signed-in user (delegated permissions in `scp`). */
  | 'access-token-user'
  /** An access token issued to an app acting as itself (Client Credentials; application permissions in `roles`). */
  | 'access-token-app'
  /** An OpenID Connect ID token: proof of sign-in for the client, never sent to an API. */
  | 'id-token'
  /** An RFC 7523 client assertion: a confidential client's proof of its certificate. */
  | 'client-assertion'
  | 'unknown';

export interface TokenKindResult {
  kind: TokenKind;
  /** The claims that decided it, in plain words. */
  because: string;
}

/** Microsoft Graph's application ID and resource URI: tokens for Graph are not meant for your API. */
const { clientId: GRAPH_APP_ID, appIdUri: GRAPH_URI } = sandboxApps.microsoftGraph;
export const MICROSOFT_GRAPH_AUDIENCES: readonly string[] = [GRAPH_APP_ID, GRAPH_URI, `${GRAPH_URI}/`];

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function classifyToken(header: ProtectedHeaderParameters, payload: JWTPayload): TokenKindResult {
  const scp = str(payload.scp);
  const roles = Array.isArray(payload.roles) ? payload.roles : undefined;
  const idtyp = str(payload.idtyp);
  const aud = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;

  if (payload.iss && payload.iss === payload.sub && typeof aud === 'string' && /\/oauth2\/(v2\.0\/)?token$/.test(aud)) {
    return { kind: 'client-assertion', because: 'iss and sub are the same client ID and aud is a token endpoint (RFC 7523 §3).' };
  }
  if (idtyp === 'app') return { kind: 'access-token-app', because: 'idtyp is "app": the API asked Entra to mark app-only tokens.' };
  if (scp !== undefined) {
    return {
      kind: 'access-token-user',
      because: 'It has scp (delegated permissions), which only tokens issued for a signed-in user carry.',
    };
  }
  if (idtyp === 'user') return { kind: 'access-token-user', because: 'idtyp is "user".' };
  if (roles && payload.oid && payload.oid === payload.sub) {
    return {
      kind: 'access-token-app',
      because: 'It has roles but no scp, and oid equals sub: the subject is the client app’s service principal, not a user.',
    };
  }
  if (
    payload.nonce !== undefined ||
    (header.typ === 'JWT' && payload.aud && !roles && (payload.preferred_username || payload.name) && !scp)
  ) {
    return {
      kind: 'id-token',
      because:
        payload.nonce !== undefined
          ? 'It carries the nonce the client sent to /authorize (OpenID Connect Core §2).'
          : 'It has user profile claims but neither scp nor roles: it proves a sign-in to the client rather than granting access to an API.',
    };
  }
  if (roles) return { kind: 'access-token-app', because: 'It has roles and no scp: application permissions granted to the client itself.' };
  return { kind: 'unknown', because: 'It has none of scp, roles, idtyp or nonce, so it is not an Entra access or ID token.' };
}

/** Graph tokens carry a `nonce` in the JOSE header: Graph signs a hash of it, so nobody else can verify them. */
export function isGraphToken(header: ProtectedHeaderParameters, payload: JWTPayload): boolean {
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  return header.nonce !== undefined || aud.some((a) => typeof a === 'string' && MICROSOFT_GRAPH_AUDIENCES.includes(a));
}
