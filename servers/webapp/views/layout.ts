/**
 * The frame of every web app page, and the headers every page is sent with. Server-rendered HTML
 * only: the pages run no script at all (`script-src 'none'`), load only the app's own stylesheet,
 * and post forms only to the app and to the tenant it redirects to.
 */
import type { LabConfig } from '../../../src/config/lab.ts';
import { html, type SafeHtml } from '../../tenant/views/html.ts';

export function pageSecurityHeaders(config: LabConfig): Record<string, string> {
  // A form's redirect counts against form-action (the sign-in form redirects to /authorize, sign-out to /logout).
  const tenant = [...new Set([new URL(config.tenant.authorization).origin, new URL(config.tenant.authority).origin])].join(' ');
  return {
    'Content-Security-Policy': `default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${tenant}; base-uri 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    // No referrer leaves the web app; within it, its forms keep their Origin (with `no-referrer` a
    // browser sends `Origin: null`, and the sign-out POST answers only to the web app's own Origin).
    'Referrer-Policy': 'same-origin',
    // Pages show who is signed in and their data: never cached.
    'Cache-Control': 'no-store',
  };
}

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** The signed-in user's name, and the sign-out form's anti-CSRF value. */
  signedIn?: { name: string; csrf: string };
}

export function renderPage({ title, body, signedIn }: PageOptions): string {
  return `<!DOCTYPE html>${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} – Tasks web app</title>
<link rel="stylesheet" href="/styles.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><div class="inner">
<p class="brand">Tasks web app<small>Entra Flows Lab · a confidential client with a server session</small></p>
${
  signedIn
    ? html`<form method="post" action="/auth/sign-out"><input type="hidden" name="csrf" value="${signedIn.csrf}"><button type="submit" class="quiet">Sign out ${signedIn.name}</button></form>`
    : ''
}
</div></header>
<main id="main">
${body}
</main>
<footer><p>The browser holds one <code>HttpOnly</code> session cookie. Tokens stay in the server's cache.</p></footer>
</body>
</html>`.html
  }`;
}
