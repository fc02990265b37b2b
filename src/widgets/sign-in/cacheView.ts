/**
 * What MSAL.js keeps in its browser cache (sessionStorage here), summarised without secrets:
 * accounts, ID tokens, access tokens (with their scopes and expiry), refresh tokens.
 * Pure: takes the storage entries, so it is unit-tested without a browser.
 */
import { shortenToken } from '../../protocol/redact.ts';

export interface CacheRow {
  kind: 'Account' | 'IdToken' | 'AccessToken' | 'RefreshToken' | string;
  /** Short description: scopes, expiry, username. */
  details: string;
  /** Shortened secret, when the entry holds one. */
  secret?: string;
}

/** Reads MSAL cache entries from storage key/value pairs; other keys are ignored. */
export function summarizeMsalCache(entries: [string, string][], nowMs: number): CacheRow[] {
  const rows: CacheRow[] = [];
  for (const [, raw] of entries) {
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    // Some MSAL versions wrap entries as { id, data: {...} } or similar; look one level down too.
    const entry = (typeof value.credentialType === 'string' || typeof value.authorityType === 'string' ? value : value.data) as
      | Record<string, unknown>
      | undefined;
    if (!entry || typeof entry !== 'object') continue;
    if (typeof entry.credentialType === 'string') {
      const secret = typeof entry.secret === 'string' ? shortenToken(entry.secret) : undefined;
      const expiresOn = Number(entry.expiresOn);
      const expires = Number.isFinite(expiresOn) && expiresOn > 0 ? `expires in ${Math.round((expiresOn * 1000 - nowMs) / 60000)} min` : '';
      const target = typeof entry.target === 'string' ? entry.target : '';
      const details = [
        target && `scopes: ${target}`,
        expires,
        entry.credentialType === 'RefreshToken' ? 'redeemable for new access tokens' : '',
      ]
        .filter(Boolean)
        .join('; ');
      rows.push({ kind: entry.credentialType, details: details || String(entry.environment ?? ''), ...(secret ? { secret } : {}) });
    } else if (typeof entry.authorityType === 'string' && typeof entry.username === 'string') {
      rows.push({
        kind: 'Account',
        details: `${entry.username} (${String(entry.authorityType)}, home account ${String(entry.homeAccountId ?? '')})`,
      });
    }
  }
  const order = ['Account', 'IdToken', 'AccessToken', 'RefreshToken'];
  return rows.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}
