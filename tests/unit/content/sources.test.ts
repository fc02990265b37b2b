/**
 * Every fact carries its source: each error catalog and claims entry names the Microsoft doc or
 * spec section it comes from (`source`), or says why it has none (`verification`). The schemas
 * enforce it, so an entry without either fails here and in `astro build`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sourceLabel } from '../../../src/components/reference/labels.ts';
import { claimSchema, errorEntrySchema, standardSchema } from '../../../src/data/schemas.ts';

const read = (path: string) => parse(readFileSync(path, 'utf8')) as Record<string, unknown>[];

const error = {
  id: 'AADSTS50011',
  title: 'Redirect URI mismatch',
  error: 'invalid_request',
  message: 'The redirect URI does not match.',
  leg: 'authorize',
  cause: 'A cause long enough.',
  fix: 'A fix long enough.',
  reproduce: 'How to see it in the sandbox.',
};
const claim = {
  id: 'aud',
  title: 'Audience',
  description: 'Who the token is for.',
  in: ['access-token'],
  delegated: true,
  appOnly: true,
  format: 'string',
  use: 'validate',
};
const source = {
  url: 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
  title: 'Microsoft Entra authentication and authorization error codes',
};

describe('an entry without a source or a verification note fails the schema', () => {
  it.each([
    ['errorEntrySchema', errorEntrySchema, error],
    ['claimSchema', claimSchema, claim],
  ] as const)('%s', (_name, schema, entry) => {
    const result = schema.safeParse(entry);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['source']);
    expect(schema.safeParse({ ...entry, source }).success).toBe(true);
    expect(schema.safeParse({ ...entry, verification: { status: 'unverified', why: 'Only public reports show it.' } }).success).toBe(true);
  });

  it('rejects a bare URL string: the reader needs the page title too', () => {
    expect(errorEntrySchema.safeParse({ ...error, source: source.url }).success).toBe(false);
  });

  it('rejects a standard whose Entra statement has no source', () => {
    const standard = read('content/standards.yaml')[0];
    expect(standardSchema.safeParse({ ...standard, entraSources: [] }).success).toBe(false);
  });
});

describe('the shipped data carries its sources', () => {
  it.each(['content/errors.yaml', 'content/claims.yaml'])('%s: every entry has a source or says why not', (path) => {
    const missing = read(path).filter((entry) => entry.source === undefined && entry.verification === undefined);
    expect(missing.map((entry) => entry.id)).toEqual([]);
  });

  it('a sandbox-only or unverified entry explains itself', () => {
    const noted = [...read('content/errors.yaml'), ...read('content/claims.yaml')].filter((entry) => entry.verification);
    for (const entry of noted) expect(String((entry.verification as { why: string }).why).length).toBeGreaterThan(10);
  });
});

describe('sourceLabel', () => {
  it('names Microsoft Learn and the page title', () => {
    expect(sourceLabel(source)).toBe('Microsoft Learn, Microsoft Entra authentication and authorization error codes');
  });
  it('lets an RFC section cite itself', () => {
    expect(sourceLabel({ url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1', title: 'RFC 6750 §3.1' })).toBe('RFC 6750 §3.1');
  });
});
