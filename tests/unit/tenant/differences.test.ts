/** The sandbox-vs-Entra list: every entry says where its Entra half comes from. */
import { describe, expect, it } from 'vitest';
import { SANDBOX_DIFFERENCES } from '../../../servers/tenant/differences.ts';

describe('SANDBOX_DIFFERENCES (servers/tenant/differences.ts)', () => {
  it('has one entry per topic', () => {
    const topics = SANDBOX_DIFFERENCES.map((d) => d.topic);
    expect(new Set(topics).size).toBe(topics.length);
  });

  it.each(SANDBOX_DIFFERENCES.map((d) => [d.topic, d.source] as const))(
    '%s: a Learn/RFC link with a title, or a stated reason',
    (_topic, source) => {
      switch (source.kind) {
        case 'microsoft-learn':
          expect(new URL(source.url).hostname).toBe('learn.microsoft.com');
          expect(source.url).not.toMatch(/\/en-us\//);
          expect(source.title.length).toBeGreaterThan(5);
          break;
        case 'rfc':
          expect(new URL(source.url).hostname).toBe('www.rfc-editor.org');
          expect(source.title).toMatch(/^RFC \d+/);
          break;
        case 'unverified':
        case 'sandbox-only':
          expect(source.reason.length).toBeGreaterThan(20);
          if (source.kind === 'unverified' && source.url) expect(() => new URL(source.url as string)).not.toThrow();
          break;
      }
    },
  );

  it('no longer lists behaviours the sandbox now shares with Entra', () => {
    const text = SANDBOX_DIFFERENCES.map((d) => `${d.entra} ${d.sandbox}`).join('\n');
    expect(text).not.toMatch(/reusing it answers AADSTS70008/);
    expect(text).not.toMatch(/bare scope answers AADSTS70011/);
    expect(text).not.toMatch(/always carry idtyp "app"/);
    expect(text).not.toMatch(/requesting app/);
  });
});
