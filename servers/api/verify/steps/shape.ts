/**
 * Step `shape`: the token is a JWS in compact form, three base64url segments (RFC 7515 §3.1, §7.1)
 * whose header and payload decode to JSON objects with unique member names, and not larger than the
 * API accepts. Nothing else is read until this passes. One of the steps ../pipeline.ts runs in
 * order.
 */
import type { Claims, Comparison, StepReport } from '../../../../src/contracts/tokenValidation.ts';
import type { Verifier } from '../policy.ts';
import { type Context, fail, pass, problem } from '../reports.ts';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** RFC 7515 §2: base64url with no padding, decoding to UTF-8 JSON that is an object. */
function decodeSegment(segment: string): { ok: true; json: Claims; text: string } | { ok: false; why: string } {
  if (segment === '' || !BASE64URL.test(segment) || segment.length % 4 === 1) {
    return { ok: false, why: 'not base64url (RFC 7515 §2: A–Z a–z 0–9 - _ and no "=" padding)' };
  }
  let text: string;
  try {
    text = utf8.decode(Buffer.from(segment, 'base64url'));
  } catch {
    return { ok: false, why: 'not UTF-8 once decoded' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, why: 'not JSON once decoded' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, why: 'JSON, but not a JSON object' };
  const duplicate = duplicateMemberName(text);
  if (duplicate !== undefined) {
    // RFC 7519 §4 and RFC 7515 §4: names MUST be unique; a parser may reject or keep the last one.
    // Keeping the last lets a token say two things at once (`"aud":"x","a\u0075d":"y"`), so we reject.
    return { ok: false, why: `has the name "${duplicate}" twice` };
  }
  return { ok: true, json: json as Claims, text };
}

/** The first top-level member name that appears twice in a JSON object text, after unescaping. */
function duplicateMemberName(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (depth === 1) {
        let next = end + 1;
        while (text[next] === ' ' || text[next] === '\n' || text[next] === '\r' || text[next] === '\t') next++;
        if (text[next] === ':') {
          const name = JSON.parse(text.slice(i, end + 1)) as string;
          if (seen.has(name)) return name;
          seen.add(name);
        }
      }
      i = end;
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return undefined;
}

export function checkShape(ctx: Context, verifier: Verifier): StepReport {
  const { token } = ctx;
  const { maxTokenBytes } = verifier.policy;
  const size: Comparison = {
    what: 'length (bytes)',
    actual: token.length,
    expected: `≤ ${maxTokenBytes}`,
    ok: token.length <= maxTokenBytes,
  };
  if (!size.ok) {
    const p = problem(verifier, 'shape', 'IDX10209', { length: String(token.length), max_length: String(maxTokenBytes) });
    return fail(p, `The token is ${token.length} bytes; this API reads at most ${maxTokenBytes}.`, [size]);
  }
  const parts = token.split('.');
  const count: Comparison = { what: 'segments', actual: parts.length, expected: 3, ok: parts.length === 3 };
  if (parts.length === 5) {
    const p = problem(verifier, 'shape', 'IDX10609', {});
    return fail(p, 'Five segments: this is an encrypted token (JWE). This API accepts signed tokens (JWS) only.', [size, count]);
  }
  if (parts.length !== 3) {
    const code = parts.length === 1 ? 'IDX14100' : parts.length === 2 ? 'IDX14120' : parts.length === 4 ? 'IDX14121' : 'IDX14122';
    const p = problem(verifier, 'shape', code, {});
    return fail(p, `${parts.length} segment(s); a signed JWT has exactly 3 (header.payload.signature).`, [size, count]);
  }
  const [rawHeader, rawPayload, rawSignature] = parts as [string, string, string];
  const header = decodeSegment(rawHeader);
  if (!header.ok) {
    const p = problem(verifier, 'shape', 'IDX14102', {}, { hint: `The header segment is ${header.why}.` });
    return fail(p, `The header segment is ${header.why}.`, [size, count]);
  }
  const payload = decodeSegment(rawPayload);
  if (!payload.ok) {
    const p = problem(verifier, 'shape', 'IDX14101', {}, { hint: `The payload segment is ${payload.why}.` });
    return fail(p, `The payload segment is ${payload.why}.`, [size, count]);
  }
  ctx.header = header.json;
  ctx.claims = payload.json;
  // An empty signature is an unsecured JWT (RFC 7519 §6), whatever `alg` claims.
  if (rawSignature === '') {
    return fail(problem(verifier, 'shape', 'IDX10504', {}), 'The signature segment is empty: the token is unsigned.', [size, count]);
  }
  if (!BASE64URL.test(rawSignature) || rawSignature.length % 4 === 1) {
    return fail(problem(verifier, 'shape', 'IDX10508', {}), 'The signature segment is not base64url.', [size, count]);
  }
  ctx.segments = [rawHeader, rawPayload, rawSignature];
  return pass('shape', 'Three base64url segments; header and payload are JSON objects with unique names.', [size, count]);
}
