/**
 * A share link for a decoded token that carries no token: only the names of its claims and its
 * kind, in the URL fragment (which browsers never send to a server). The person who opens it
 * sees the same explanations, without any value, signature or identifier.
 */
import type { TokenKind } from '../../protocol/tokenKind.ts';

const KINDS: TokenKind[] = ['access-token-user', 'access-token-app', 'id-token', 'client-assertion', 'unknown'];
const CLAIM_NAME = /^[A-Za-z0-9_#:.-]{1,64}$/;

export interface SharedToken {
  kind: TokenKind;
  claims: string[];
}

export function buildShareLink(pageUrl: string, kind: TokenKind, claimNames: string[]): string {
  const url = new URL(pageUrl);
  url.search = '';
  const names = claimNames.filter((name) => CLAIM_NAME.test(name));
  url.hash = new URLSearchParams({ kind, claims: names.join(',') }).toString();
  return url.href;
}

export function parseShareFragment(hash: string): SharedToken | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const kind = params.get('kind') as TokenKind | null;
  const claims = params.get('claims');
  if (!kind || !KINDS.includes(kind) || claims === null) return undefined;
  return { kind, claims: claims.split(',').filter((name) => CLAIM_NAME.test(name)) };
}
