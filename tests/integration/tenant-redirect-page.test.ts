/**
 * `public/redirect.html` is the page MSAL.js v5 popups and silent iframes return to; it must embed
 * the redirect bridge of the installed @azure/msal-browser (regenerate it after an upgrade).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REDIRECT_PAGE_PATH, renderRedirectBridgePage } from '../fixtures/msal-spa/redirectBridgePage.ts';

describe('public/redirect.html (the MSAL v5 popup/iframe bridge page)', () => {
  it('matches the installed msal-browser’s redirect bridge (run: node tests/fixtures/msal-spa/redirectBridgePage.ts --write)', () => {
    expect(readFileSync(REDIRECT_PAGE_PATH, 'utf8')).toBe(renderRedirectBridgePage());
  });

  it('loads nothing from anywhere: no external scripts, styles or fonts', () => {
    const page = readFileSync(REDIRECT_PAGE_PATH, 'utf8');
    expect(page).not.toMatch(/<script[^>]+src=|<link\b|<img\b|@import|url\(/);
  });
});
