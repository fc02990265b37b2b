/**
 * The API takes its reasons from content/errors.yaml: every code it can answer with must be there,
 * with the HTTP status and OAuth error the API really sends, and the catalog renderer must fill
 * placeholders without ever letting a token value break the line.
 */
import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../../../servers/api/verify/reports.ts';
import { createErrorCatalog, loadErrorCatalog, requireCodes } from '../../../src/data/errorCatalog.ts';

/** RFC 6750 §3.1 mapping the API applies: 403 for a missing permission, 503 when it cannot decide, 401 otherwise. */
const sent = (code: string) =>
  code === 'IDW10202' || code === 'IDW10203'
    ? { status: 403, error: 'insufficient_scope' }
    : code === 'IDX20803'
      ? { status: 503, error: 'temporarily_unavailable' }
      : { status: 401, error: 'invalid_token' };

describe('content/errors.yaml covers the API', () => {
  const catalog = loadErrorCatalog();

  it('has an entry for every IDX/IDW code the pipeline answers with', () => {
    expect(() => requireCodes(catalog, REASON_CODES, 'the sample API')).not.toThrow();
  });

  it.each(REASON_CODES)('%s: the catalog’s status and error are what the API sends', (code) => {
    const entry = catalog.entry(code);
    expect({ status: entry.status, error: entry.error }).toEqual(sent(code));
  });
});

describe('rendering a catalog message', () => {
  const catalog = createErrorCatalog([
    {
      id: 'IDX10214',
      title: 'Audience validation failed',
      error: 'invalid_token',
      message: "Audience validation failed. Audiences: '{aud}'. Did not match: '{valid_audience}'.",
      leg: 'api',
      cause: 'The token is for another resource.',
      fix: 'Ask for a token for this API.',
      reproduce: 'Change aud in the tamper lab.',
      seeAlso: [],
    },
  ]);

  it('fills each {placeholder} and leaves unknown ones visible', () => {
    expect(catalog.render('IDX10214', { aud: 'x' })).toBe("Audience validation failed. Audiences: 'x'. Did not match: '{valid_audience}'.");
  });

  it('keeps a hostile value on one line and short', () => {
    const rendered = catalog.render('IDX10214', { aud: `a\r\nSet-Cookie: x=1${'y'.repeat(500)}`, valid_audience: 'api' });
    expect(rendered).not.toMatch(/[\r\n]/);
    expect(rendered.length).toBeLessThan(320);
  });

  it('names a missing code and how to add it', () => {
    expect(() => catalog.entry('IDX99999')).toThrow(/IDX99999 is not in content\/errors.yaml/);
    expect(() => requireCodes(catalog, ['IDX10214', 'IDX99999'], 'the sample API')).toThrow(
      /lacks IDX99999, which the sample API answers with/,
    );
  });
});
