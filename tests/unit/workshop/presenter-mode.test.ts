/** Presenter mode's switch: the `?present` URL parameter wins over what the browser session remembered. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WORKSHOP_API } from '../../../src/contracts/workshop.ts';
import {
  earlyPresenterScript,
  PRESENT_ATTRIBUTE,
  PRESENT_PARAM,
  PRESENT_STORAGE_KEY,
  presentFromSearch,
  resolvePresent,
} from '../../../src/workshop/presenter/presenterMode.ts';
import { GENERATION_STORAGE_KEY } from '../../../src/workshop/reset/resetClient.ts';

describe('presenter mode from the URL and the session', () => {
  it('turns on with ?present alone or with a yes-like value, off with a no-like value', () => {
    for (const search of ['?present', '?present=', '?present=1', '?present=on', '?x=1&present=true'])
      expect(presentFromSearch(search), search).toBe(true);
    for (const search of ['?present=0', '?present=off', '?present=false', '?present=NO'])
      expect(presentFromSearch(search), search).toBe(false);
    expect(presentFromSearch('?presenter=1')).toBeUndefined();
  });

  it('keeps what the session remembered unless the URL says otherwise', () => {
    expect(resolvePresent('', '1')).toBe(true);
    expect(resolvePresent('', null)).toBe(false);
    expect(resolvePresent('?present=off', '1')).toBe(false);
    expect(resolvePresent('?present', null)).toBe(true);
  });

  it('the inline before-paint script uses the same parameter, storage key and attribute', () => {
    const source = earlyPresenterScript.toString();
    for (const constant of [PRESENT_PARAM, PRESENT_STORAGE_KEY, PRESENT_ATTRIBUTE]) expect(source).toContain(constant);
    expect(source).not.toMatch(/\bimport\b/);
  });

  it('the every-page boot script (no imports, to stay small) repeats the same keys and route', () => {
    const boot = readFileSync('src/workshop/presenter/boot.ts', 'utf8');
    expect(boot).toContain(`'${PRESENT_STORAGE_KEY}'`);
    expect(boot).toContain(`'${GENERATION_STORAGE_KEY}'`);
    expect(boot).toContain(`'${WORKSHOP_API}/status'`);
    expect(boot).not.toMatch(/^import /m);
  });
});
