/**
 * The captured legs shown on the flow pages (content/captures/*.json): they must name only steps the
 * flows have, hide every credential, and print as HTTP/1.1 messages. Whether they still match what
 * the sandbox does is tests/e2e/guides-captures.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { maskHeader } from '../../../scripts/capture/recorder.ts';
import { captureShape } from '../../../scripts/capture/shape.ts';
import { legSummary, requestText, responseText } from '../../../src/components/diagrams/captureText.ts';
import { flowCaptureSchema } from '../../../src/contracts/captures.ts';
import { flowSchema } from '../../../src/data/schemas.ts';
import { maskUrl, maskValue } from '../../../src/protocol/redact.ts';

/** Parsed with the captures contract, so a file that drifts from the format fails here. */
const read = (flow: string) => flowCaptureSchema.parse(JSON.parse(readFileSync(`content/captures/${flow}.json`, 'utf8')));
const FLOWS = ['auth-code-pkce', 'client-credentials', 'web-app', 'workload-identity'] as const;

describe('masking (no working credential ever reaches a page)', () => {
  it('shortens tokens and codes, masks secrets and passwords, leaves the rest alone', () => {
    expect(maskValue('access_token', `eyJ${'a'.repeat(100)}`)).toMatch(/^eyJa{7}…a{6} \(103 chars\)$/);
    expect(maskValue('client_secret', 'Sbx8Q~sandbox.daemon.secret')).toBe('Sbx•••••••• (27 chars, masked)');
    expect(maskValue('password', 'sandbox')).toBe('•••••••• (7 chars, masked)');
    expect(maskValue('scope', 'api://x/.default')).toBe('api://x/.default');
    expect(maskValue('code', 'abc…def (43 chars)')).toBe('abc…def (43 chars)');
  });

  it('masks the code in a redirect URL, relative locations included', () => {
    const masked = maskUrl(`http://localhost:4321/redirect.html#code=${'c'.repeat(43)}&state=s1`);
    expect(masked).not.toContain('c'.repeat(20));
    expect(masked).toContain('state=s1');
    expect(maskUrl('/tenant/interaction/abc?code=secretcodevalue123456789')).toMatch(/^\/tenant\/interaction\/abc\?code=/);
  });

  it('keeps the scheme of an Authorization header and the names of cookies only', () => {
    expect(maskHeader('Authorization', `Bearer eyJ${'x'.repeat(60)}`)).toMatch(/^Bearer eyJx{7}…x{6} \(63 chars\)$/);
    expect(maskHeader('Cookie', 'a=1; b=2')).toBe('a=…; b=…');
    expect(maskHeader('set-cookie', 'sid=abc; path=/; httponly')).toBe('sid=…; path=/; httponly');
  });
});

describe.each(FLOWS)('content/captures/%s.json', (flowId) => {
  const capture = read(flowId);
  const flow = flowSchema.parse(parse(readFileSync(`content/flows/${flowId}.yaml`, 'utf8')));

  it('names only steps of its flow, in the flow’s order, and covers every HTTP message of it', () => {
    const ids = flow.steps.map((s) => s.id);
    const covered = capture.legs.flatMap((leg) => leg.steps);
    for (const step of covered) expect(ids).toContain(step);
    // Pages can repeat (sign-in, then consent) and a flow can call the API twice; first appearances keep the flow's order.
    const firsts = [...new Set(covered)].map((s) => ids.indexOf(s));
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    const http = flow.steps.filter((s) => s.kind !== 'local' && !(s.from === 'User' && s.to === 'SPA')).map((s) => s.id);
    for (const step of http) expect(covered, step).toContain(step);
  });

  it('contains no credential in clear: tokens, codes, assertions and secrets are shortened or masked', () => {
    const text = JSON.stringify(capture.legs);
    expect(text).not.toMatch(/eyJ[\w-]{20,}\.[\w-]{20,}\.[\w-]{20,}/); // no complete JWT
    expect(text).not.toContain('Sbx8Q~sandbox'); // the daemon's sandbox secret
    expect(text).not.toMatch(/"password":\s*"sandbox"/);
  });

  it('uses the default ports, whoever captured it', () => {
    const urls = capture.legs.map((leg) => new URL(leg.request.url));
    for (const url of urls) expect(['4321', '4400', '4500', '4600']).toContain(url.port);
  });

  it('prints each leg as an HTTP/1.1 request and response', () => {
    for (const leg of capture.legs) {
      expect(requestText(leg)).toMatch(new RegExp(`^${leg.request.method} /\\S* HTTP/1\\.1\\n`));
      expect(requestText(leg)).toMatch(/\nHost: localhost:\d+/);
      expect(responseText(leg)).toMatch(new RegExp(`^HTTP/1\\.1 ${leg.response.status}\\b`));
      expect(legSummary(leg)).toMatch(/^(GET|POST) \/\S* → \d{3}$/);
    }
  });

  it('has a comparable shape (what tests/e2e/guides-captures.spec.ts compares with a fresh run)', () => {
    const shape = captureShape(capture);
    expect(shape.legs.length).toBeGreaterThan(0);
    expect(shape.tokens.access_token?.claims).toEqual(expect.arrayContaining(['aud', 'iss', 'oid', 'sub', 'tid', 'ver']));
  });
});

describe('what the captures teach', () => {
  it('RFC 6749 §4.4.3: the Client Credentials token response has no refresh token; the SPA one has', () => {
    const body = (flowId: string) =>
      read(flowId).legs.find((leg) => leg.steps.includes('token-response'))?.response.body as Record<string, unknown>;
    expect(body('client-credentials')).not.toHaveProperty('refresh_token');
    expect(body('auth-code-pkce')).toHaveProperty('refresh_token');
  });

  it('the delegated token carries scp, the app-only token roles and no scp', () => {
    const delegated = read('auth-code-pkce').tokens.access_token?.claims ?? {};
    const appOnly = read('client-credentials').tokens.access_token?.claims ?? {};
    expect(delegated.scp).toEqual(expect.any(String));
    expect(appOnly).not.toHaveProperty('scp');
    expect(appOnly.roles).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(delegated.aud).toBe(appOnly.aud);
  });

  it('the SPA redeems the code cross-origin with PKCE and no secret', () => {
    const token = read('auth-code-pkce').legs.find((leg) => leg.steps.includes('token-request'));
    expect(token?.request.headers).toHaveProperty('Origin');
    expect(token?.request.body).toHaveProperty('code_verifier');
    expect(token?.request.body).not.toHaveProperty('client_secret');
  });
});
