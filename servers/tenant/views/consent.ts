/** The consent page: the permissions the app asks for, with "Accept" and "Cancel". */
import { html } from './html.ts';
import { renderPage } from './layout.ts';

export interface ConsentPermission {
  /** What the user reads: "Read your tasks". */
  text: string;
  /** The scope as requested: `api://…/Tasks.Read` or `openid`. */
  scope: string;
}

export interface ConsentView {
  tenantLabel: string;
  action: string;
  appName: string;
  /** The signed-in user's name. */
  username: string;
  permissions: ConsentPermission[];
  /** Combined consent: what the app's middle-tier APIs ask for downstream, accepted with the same button. */
  middleTiers?: { appName: string; permissions: ConsentPermission[] }[];
}

export function renderConsent(view: ConsentView): string {
  return renderPage({
    title: 'Permissions requested',
    tenantLabel: view.tenantLabel,
    body: html`<p>${view.username}</p>
<h1>Permissions requested</h1>
<p><strong>${view.appName}</strong> <span>(unverified sandbox app)</span></p>
<p id="permissions-intro">This app would like to:</p>
<ul class="permissions" aria-labelledby="permissions-intro">
${view.permissions.map((p) => html`<li>${p.text} <code>${p.scope}</code></li>`)}
</ul>
${(view.middleTiers ?? []).map((tier, i) => {
  const id = i === 0 ? 'middle-tier-intro' : `middle-tier-intro-${i + 1}`;
  return html`<p id="${id}">It also lets <strong>${tier.appName}</strong>, an API it calls, act for you:</p>
<ul class="permissions" aria-labelledby="${id}">
${tier.permissions.map((p) => html`<li>${p.text} <code>${p.scope}</code></li>`)}
</ul>`;
})}
<p>Accepting these permissions means that you allow this app to use your data as specified. You can change these permissions by resetting the sandbox.</p>
<form method="post" action="${view.action}">
<div class="actions">
<button type="submit" name="decision" value="cancel" class="secondary">Cancel</button>
<button type="submit" name="decision" value="accept" class="primary" autofocus>Accept</button>
</div>
</form>`,
  });
}
