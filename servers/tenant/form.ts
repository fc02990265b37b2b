/**
 * Reading `application/x-www-form-urlencoded` bodies (the token endpoint and the sign-in pages)
 * with the limits that keep garbage input a 4xx: a size cap, one value per parameter, UTF-8 only.
 */
import type { IncomingMessage } from 'node:http';

/** Token requests are a few kilobytes; a client assertion with an `x5c` chain stays well under this. */
export const MAX_FORM_BYTES = 64 * 1024;

export type FormResult =
  | { ok: true; params: Record<string, string> }
  | { ok: false; problem: 'too-large' | 'not-form' | 'duplicate' | 'malformed'; detail: string };

export async function readBody(req: IncomingMessage, limit = MAX_FORM_BYTES): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function isFormContentType(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** Parses a form body. A repeated parameter is an error (RFC 6749 §3.2: sent at most once). */
export function parseForm(body: Buffer): FormResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, problem: 'malformed', detail: 'the body is not UTF-8' };
  }
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(params, name)) return { ok: false, problem: 'duplicate', detail: `parameter '${name}' appears more than once` };
    params[name] = value;
  }
  return { ok: true, params };
}

export async function readForm(req: IncomingMessage, limit = MAX_FORM_BYTES): Promise<FormResult> {
  const body = await readBody(req, limit);
  if (!body) return { ok: false, problem: 'too-large', detail: `the body is larger than ${limit} bytes` };
  if (body.length > 0 && !isFormContentType(req)) {
    return {
      ok: false,
      problem: 'not-form',
      detail: `the body must be application/x-www-form-urlencoded, not ${req.headers['content-type'] ?? 'untyped'}`,
    };
  }
  return parseForm(body);
}
