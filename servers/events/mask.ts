/**
 * Masking for protocol events. The tracer shows what travelled, never something a reader of the
 * event could replay: credentials are shown as everywhere in the lab (src/protocol/redact.ts),
 * JWTs also keep their decoded header and claims (but never their signature), and passwords are
 * dropped, not even a hint.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { MaskedToken } from '../../src/contracts/protocolEvents.ts';
import { maskValue, shortenToken } from '../../src/protocol/redact.ts';

/** Parameters that hold a JWT: shown decoded, signature removed. */
const JWT_PARAMS = new Set(['access_token', 'id_token', 'client_assertion', 'assertion', 'id_token_hint', 'logout_token']);
/** Never shown at all, not even masked. */
const DROPPED_PARAMS = new Set(['password']);

export function maskToken(token: string): MaskedToken {
  const masked = shortenToken(token);
  if (token.split('.').length !== 3) return { masked };
  try {
    return { masked, header: decodeProtectedHeader(token) as Record<string, unknown>, claims: decodeJwt(token) as Record<string, unknown> };
  } catch {
    return { masked };
  }
}

/** Masks a parameter record (query string, form body, token response). Unknown names pass through. */
export function maskParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(params)) {
    if (DROPPED_PARAMS.has(name) || raw === undefined) continue;
    const mask = (value: unknown): unknown =>
      typeof value === 'string' && JWT_PARAMS.has(name) ? maskToken(value) : maskValue(name, value);
    out[name] = Array.isArray(raw) ? raw.map(mask) : mask(raw);
  }
  return out;
}
