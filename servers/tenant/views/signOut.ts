/** Sign-out pages: the confirmation oidc-provider asks for, and the "signed out" page. */
import { html, raw } from './html.ts';
import { renderPage } from './layout.ts';

/** `form` is oidc-provider's hidden logout form (its own markup, with the xsrf token). */
export function renderSignOutConfirm(tenantLabel: string, form: string): string {
  return renderPage({
    title: 'Sign out',
    tenantLabel,
    body: html`<h1>Sign out of the sandbox tenant?</h1>
<p>You will be signed out of every app that uses this sandbox tenant in this browser.</p>
${raw(form)}
<div class="actions">
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>
<button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary" autofocus>Sign out</button>
</div>`,
  });
}

export function renderSignedOut(tenantLabel: string): string {
  return renderPage({
    title: 'Signed out',
    tenantLabel,
    body: html`<h1>You signed out of your account</h1>
<p>It's a good idea to close all browser windows.</p>`,
  });
}
