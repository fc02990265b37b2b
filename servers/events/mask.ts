/**
 * Masking for protocol events. The tracer shows what travelled, never something a reader of the
 * event could replay: secrets keep a 4-character hint, tokens keep their decoded header and
 * claims but never their signature, passwords are dropped.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { MaskedToken } from '../../src/contracts/protocolEvents.ts';

/** Parameters whose value is a credential or a one-time secret. */
const SECRET_PARAMS = new Set(['client_secret', 'code', 'code_verifier', 'refresh_token', 'device_code', 'session_state']);
/** Parameters that hold a JWT: shown decoded, signature removed. */
const TOKEN_PARAMS = new Set(['access_token', 'id_token', 'client_assertion', 'assertion', 'id_token_hint', 'logout_token']);
/** Never shown at all, not even a hint. */
const DROPPED_PARAMS = new Set(['password']);

/** `Sbx8…(46 chars)`: enough to tell two values apart, not enough to use one. */
export function maskSecret(value: string): string {
  if (value.length <= 8) return `…(${value.length} chars)`;
  return `${value.slice(0, 4)}…(${value.length} chars)`;
}

export function maskToken(token: string): MaskedToken {
  const masked = maskSecret(token);
  if (token.split('.').length !== 3) return { masked };
  try {
    return { masked, header: decodeProtectedHeader(token) as Record<string, unknown>, claims: decodeJwt(token) as Record<string, unknown> };
  } catch {
    return { masked };
  }
}

type ParamValue = string | string[] | undefined;

/** Masks a parameter record (query string, form body, token response). Unknown names pass through. */
export function maskParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(params)) {
    if (DROPPED_PARAMS.has(name) || raw === undefined) continue;
    const mask = (value: unknown): unknown => {
      if (typeof value !== 'string') return value;
      if (TOKEN_PARAMS.has(name)) return maskToken(value);
      if (SECRET_PARAMS.has(name)) return maskSecret(value);
      return value;
    };
    out[name] = Array.isArray(raw) ? raw.map(mask) : mask(raw);
  }
  return out;
}

/** Masks the query of a URL (for example a redirect carrying `code=`), keeping the rest readable. */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return maskSecret(url);
  }
  for (const part of ['search', 'hash'] as const) {
    const raw = parsed[part].slice(1);
    if (!raw) continue;
    const params = new URLSearchParams(raw);
    const masked = new URLSearchParams();
    for (const [name, value] of params) {
      if (DROPPED_PARAMS.has(name)) continue;
      const m = maskParams({ [name]: value })[name];
      masked.append(name, typeof m === 'string' ? m : (m as MaskedToken).masked);
    }
    parsed[part] = masked.toString();
  }
  return parsed.href;
}

export type { ParamValue };
