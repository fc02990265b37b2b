/** The sign-in page: a labelled username and password, a "Sign in" button, the sandbox users listed. */
import { html } from './html.ts';
import { renderPage } from './layout.ts';

export interface SignInView {
  tenantLabel: string;
  /** Where the form posts. */
  action: string;
  /** Display name of the app asking the user to sign in. */
  appName: string;
  username?: string;
  /** A failed attempt: the AADSTS code and the sentence a user reads. */
  error?: { code: string; message: string };
  /** The sandbox's test accounts, shown so learners never have to guess. */
  accounts: string[];
  password: string;
  /** Workshop mode: any `name@{domain}` signs in as an attendee of its own. */
  attendeeDomain?: string;
}

export function renderSignIn(view: SignInView): string {
  const errorId = view.error ? 'sign-in-error' : undefined;
  return renderPage({
    title: 'Sign in',
    tenantLabel: view.tenantLabel,
    body: html`<h1>Sign in</h1>
<p>to continue to <strong>${view.appName}</strong></p>
${view.error ? html`<p class="error" id="sign-in-error" role="alert">${view.error.message} <code>${view.error.code}</code></p>` : ''}
<form method="post" action="${view.action}" novalidate>
<label for="username">Username</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${view.username ?? ''}"${errorId ? html` aria-describedby="${errorId}"` : ''}${view.username ? '' : html` autofocus`}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${view.username ? html` autofocus` : ''}>
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>
<div class="hint">
<p>Sandbox accounts: ${view.accounts.map((account, i) => html`${i ? ', ' : ''}<code>${account}</code>`)}. Password: <code>${view.password}</code>.</p>
${view.attendeeDomain ? html`<p>Workshop: sign in as <code>yourname@${view.attendeeDomain}</code> with the same password to get a user, and tasks, of your own.</p>` : ''}
</div>`,
  });
}
