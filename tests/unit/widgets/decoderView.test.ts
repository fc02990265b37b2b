import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { claimSchema } from '../../../src/data/schemas.ts';
import { buildDecoderView, type ClaimReference } from '../../../src/widgets/token-decoder/decoderView.ts';
import { buildShareLink, parseShareFragment } from '../../../src/widgets/token-decoder/shareLink.ts';

const claims: ClaimReference[] = (parse(readFileSync('content/claims.yaml', 'utf8')) as unknown[]).map((c) => claimSchema.parse(c));
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const s = (ms: number) => Math.floor(ms / 1000);

describe('token decoder view: every claim explained from content/claims.yaml', () => {
  const view = buildDecoderView(
    { alg: 'RS256', typ: 'JWT', kid: 'k' },
    { aud: 'api', scp: 'Tasks.Read', exp: s(NOW) + 53 * 60, iat: s(NOW) - 60, custom_thing: 1 },
    claims,
    NOW,
  );

  it('explains a claim the reference knows, with its title and meaning', () => {
    const aud = view.payload.find((r) => r.name === 'aud');
    expect(aud?.reference?.title).toBe(claims.find((c) => c.id === 'aud')?.title);
  });

  it('RFC 7519 §4.1.4: exp is shown as a date and "in 53 minutes"', () => {
    const exp = view.payload.find((r) => r.name === 'exp');
    expect(exp?.time).toMatchObject({ status: 'valid', label: 'Expires in 53 minutes' });
    expect(exp?.time?.iso).toBe(new Date((s(NOW) + 53 * 60) * 1000).toISOString());
  });

  it('keeps claims the reference does not know, marked as such', () => {
    const custom = view.payload.find((r) => r.name === 'custom_thing');
    expect(custom).toMatchObject({ value: '1' });
    expect(custom?.reference).toBeUndefined();
  });

  it('recognises a delegated access token by scp', () => {
    expect(view.kind.kind).toBe('access-token-user');
    expect(view.lifetimeProblem).toBeUndefined();
  });

  it('IDX10223: an expired token says so in words, not only in colour', () => {
    const expired = buildDecoderView({ alg: 'RS256' }, { exp: s(NOW) - 7200 }, claims, NOW);
    expect(expired.payload[0]?.time).toMatchObject({ status: 'expired', label: 'Expired 2 hours ago' });
    expect(expired.lifetimeProblem).toMatch(/Expired 2 hours ago.*IDX10223/);
  });

  it('IDX10222: a token used before nbf is not valid yet', () => {
    expect(buildDecoderView({ alg: 'RS256' }, { nbf: s(NOW) + 600 }, claims, NOW).lifetimeProblem).toMatch(/Becomes valid in 10 minutes/);
  });

  it('RFC 7519 §4.1.5: a token whose nbf is this very second is valid (nbf rounds to now)', () => {
    const fresh = buildDecoderView({ alg: 'RS256' }, { nbf: s(NOW + 400), exp: s(NOW) + 3600 }, claims, NOW);
    expect(fresh.payload[0]?.time).toMatchObject({ status: 'valid' });
    expect(fresh.lifetimeProblem).toBeUndefined();
  });

  it('RFC 7519 §4.1.4: a token is expired on its exp second', () => {
    expect(buildDecoderView({ alg: 'RS256' }, { exp: s(NOW) }, claims, NOW).payload[0]?.time).toMatchObject({ status: 'expired' });
  });
});

describe('share link: carries no token', () => {
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzY3AiOiJUYXNrcy5SZWFkIn0.c2lnbmF0dXJl';
  const link = buildShareLink(`http://localhost:1/tools/token-decoder/?token=${token}`, 'access-token-user', ['aud', 'scp', 'oid']);

  it('holds only the kind and the claim names, in the fragment', () => {
    const url = new URL(link);
    expect(url.search).toBe('');
    expect(parseShareFragment(url.hash)).toEqual({ kind: 'access-token-user', claims: ['aud', 'scp', 'oid'] });
  });

  it('contains no segment of the token, even if the page URL had one', () => {
    for (const segment of token.split('.')) expect(link).not.toContain(segment);
  });

  it('ignores a fragment that is not a share link', () => {
    expect(parseShareFragment('#how-the-signature-is-checked')).toBeUndefined();
    expect(parseShareFragment('#kind=evil&claims=a')).toBeUndefined();
  });
});
