/**
 * The frame of every tenant page: plain, clearly labelled as the lab's sandbox, no web fonts,
 * nothing fetched from anywhere, light and dark from `prefers-color-scheme`.
 */
import { html, type SafeHtml } from './html.ts';

/** Sent with every page: nothing loads from elsewhere, and no other site may frame the sign-in pages. */
export const PAGE_SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
} as const;

const STYLE = `
:root { color-scheme: light dark; --bg: #f2f2f2; --card: #ffffff; --text: #1b1b1b; --muted: #505050; --line: #8a8886;
  --primary: #0067b8; --on-primary: #ffffff; --secondary: #e1e1e1; --on-secondary: #1b1b1b; --error: #a4262c;
  --banner: #fff4ce; --on-banner: #3b2f00; --focus: #1b1b1b; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #1b1b1b; --card: #2b2b2b; --text: #f2f2f2; --muted: #c8c8c8; --line: #a19f9d;
    --primary: #4ea8ff; --on-primary: #0b0b0b; --secondary: #484644; --on-secondary: #f2f2f2; --error: #ff99a4;
    --banner: #4a3b00; --on-banner: #fff4ce; --focus: #f2f2f2; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.banner { background: var(--banner); color: var(--on-banner); padding: .1rem 1rem; text-align: center; }
.badge { display: inline-block; border: 2px solid currentColor; border-radius: 4px; padding: 0 .4rem; margin-right: .4rem; font-weight: 700; letter-spacing: .08em; }
main { max-width: 28rem; margin: 2.5rem auto; background: var(--card); padding: 2rem 2.5rem; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
.tenant { margin: 0 0 1rem; color: var(--muted); font-size: .9rem; }
h1 { font-size: 1.5rem; font-weight: 600; margin: 0 0 .5rem; }
h2 { font-size: 1.1rem; font-weight: 600; margin: 1.5rem 0 .5rem; }
p { margin: .5rem 0; }
label { display: block; margin-top: 1rem; font-weight: 600; }
input[type=email], input[type=text], input[type=password] { width: 100%; padding: .5rem .6rem; margin-top: .25rem; font: inherit; color: var(--text); background: var(--card); border: 1px solid var(--line); }
input:focus, button:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
.actions { display: flex; gap: .75rem; justify-content: flex-end; margin-top: 1.5rem; }
button { font: inherit; font-weight: 600; min-width: 7rem; padding: .45rem 1rem; border: 0; cursor: pointer; }
button.primary { background: var(--primary); color: var(--on-primary); }
button.secondary { background: var(--secondary); color: var(--on-secondary); }
.error { color: var(--error); font-weight: 600; }
.hint { margin-top: 1.5rem; padding-top: 1rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
ul.permissions { padding-left: 1.2rem; }
ul.permissions li { margin: .4rem 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: .25rem .75rem; font-size: .9rem; }
dl.details dt { font-weight: 600; }
dl.details dd { margin: 0; overflow-wrap: anywhere; }
footer { text-align: center; color: var(--muted); font-size: .85rem; margin: 0 1rem 2rem; }
`;

export interface PageOptions {
  /** The document title (after which " – Sandbox tenant" is added). */
  title: string;
  /** Tenant line above the heading: `Contoso (sandbox) · contoso.onmicrosoft.com`. */
  tenantLabel: string;
  body: SafeHtml;
}

export function renderPage({ title, tenantLabel, body }: PageOptions): string {
  return `<!DOCTYPE html>${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} – Sandbox tenant</title>
<style>${{ html: STYLE }}</style>
</head>
<body>
<header class="banner"><p><span class="badge">SANDBOX</span>The lab's local sandbox tenant, not Microsoft Entra ID. Never enter a real password here.</p></header>
<main>
<p class="tenant">${tenantLabel}</p>
${body}
</main>
<footer>Entra Flows Lab · sandbox tenant · runs on this computer only</footer>
</body>
</html>`.html
  }`;
}
