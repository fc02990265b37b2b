/**
 * The web app's pages: signed out (choose a credential, sign in), signed in (who you are, your
 * tasks, what the server did at each leg), and the error page. Every value from a request or a
 * token goes through `html` (escaped); nothing on a page is a usable token.
 */
import type { ErrorCatalog } from '../../../src/data/errorCatalog.ts';
import { html, type SafeHtml } from '../../tenant/views/html.ts';
import type { ProfileResult } from '../profile.ts';
import type { ServerLeg, WebAppSession } from '../sessions.ts';
import type { SignInProblem } from '../signIn.ts';
import type { TasksResult } from '../tasks.ts';
import { renderPage } from './layout.ts';

export function renderSignedOutPage(notice?: string): string {
  return renderPage({
    title: 'Sign in',
    body: html`<h1>Your tasks, kept on the server</h1>
<p class="lead">This web app signs you in with Microsoft Entra ID's authorization code flow. Its <strong>server</strong> redeems the
code with the app's own credential and keeps the tokens; your browser only gets a session cookie it cannot read.</p>
${notice ? html`<p class="note" role="status">${notice}</p>` : ''}
<section class="card" aria-labelledby="sign-in-title">
<h2 id="sign-in-title">Sign in</h2>
<form method="get" action="/auth/sign-in">
<fieldset>
<legend>Credential the server redeems the code with</legend>
<label class="choice"><input type="radio" name="credential" value="secret" checked> Client secret <span>(the secret's value travels in the token request)</span></label>
<label class="choice"><input type="radio" name="credential" value="certificate"> Certificate <span>(a client assertion signed with the private key)</span></label>
</fieldset>
<button type="submit">Sign in</button>
</form>
</section>`,
  });
}

function statusBadge(ok: boolean): SafeHtml {
  return ok ? html`<span class="status ok">OK</span>` : html`<span class="status bad">Failed</span>`;
}

function legItem(leg: ServerLeg): SafeHtml {
  return html`<li><p><strong>${leg.title}</strong> ${statusBadge(leg.ok)}</p>
<p class="line">${leg.line}</p>
<dl class="facts">${leg.fields.map(([label, value]) => html`<dt>${label}</dt><dd><code>${value}</code></dd>`)}</dl>
${leg.note ? html`<p class="muted">${leg.note}</p>` : ''}
${leg.body !== undefined ? html`<details><summary>Masked ${leg.id === 'api-call' || leg.id === 'profile-call' ? 'answer' : 'parameters'}</summary><pre>${JSON.stringify(leg.body, null, 2)}</pre></details>` : ''}
</li>`;
}

/** What the server did, leg by leg, masked. */
export function serverLegsPanel(legs: ServerLeg[]): SafeHtml {
  return html`<section class="card wide" aria-labelledby="legs-title">
<h2 id="legs-title">What the server did</h2>
<p class="muted">Each leg as the web app's server ran it. Secrets are masked, tokens shortened, client assertions decoded without their signature.</p>
${legs.length ? html`<ol class="legs">${legs.map(legItem)}</ol>` : html`<p>Nothing yet.</p>`}
</section>`;
}

function tasksPanel(result: TasksResult): SafeHtml {
  if (!result.ok) {
    return html`<section class="card problem" aria-labelledby="tasks-title"><h2 id="tasks-title">Your tasks</h2>
<p role="alert">${result.message}${result.code ? html` (<code>${result.code}</code>)` : ''}</p>
${result.reason === 'sign-in-again' ? html`<p><a class="button" href="/auth/sign-in">Sign in again</a></p>` : ''}</section>`;
  }
  return html`<section class="card" aria-labelledby="tasks-title"><h2 id="tasks-title">Your tasks</h2>
<p class="muted">Fetched by the server from the Tasks API with an access token from this session's cache.</p>
${
  result.tasks.length
    ? html`<ul class="tasks">${result.tasks.map(
        (task) =>
          html`<li><span class="status ${task.done ? 'ok' : 'todo'}">${task.done ? 'Done' : 'To do'}</span> <span>${task.title}</span></li>`,
      )}</ul>`
    : html`<p>No tasks.</p>`
}</section>`;
}

/**
 * The user's profile, which the web app never fetched itself: its server called the Tasks API's
 * `/api/me/profile`, and the Tasks API called the Profile API on the user's behalf (on-behalf-of).
 */
export function profilePanel(result: ProfileResult): SafeHtml {
  if (!result.ok && result.reason === 'not-available') {
    return html`<section class="card" aria-labelledby="profile-title"><h2 id="profile-title">Your profile</h2>
<p class="muted">${result.message}</p></section>`;
  }
  if (!result.ok) {
    return html`<section class="card problem" aria-labelledby="profile-title"><h2 id="profile-title">Your profile</h2>
<p role="alert">${result.message}${result.code ? html` (<code>${result.code}</code>)` : ''}</p>
${result.reason === 'sign-in-again' ? html`<p><a class="button" href="/auth/sign-in">Sign in again</a></p>` : ''}</section>`;
  }
  const { profile } = result;
  return html`<section class="card" aria-labelledby="profile-title"><h2 id="profile-title">Your profile</h2>
<p class="muted">From the Profile API, which this app never calls: the server called the Tasks API's <code>/api/me/profile</code> with its token for the Tasks API, and the Tasks API traded that token for one to the Profile API, on your behalf${result.oboFromCache ? ' (from its token cache this time)' : ''}.</p>
<dl class="facts">
<dt>displayName</dt><dd>${profile.displayName}</dd>
<dt>userPrincipalName</dt><dd>${profile.userPrincipalName}</dd>
<dt>jobTitle</dt><dd>${profile.jobTitle}</dd>
<dt>officeLocation</dt><dd>${profile.officeLocation}</dd>
</dl></section>`;
}

export function renderSignedInPage(session: WebAppSession, tasks: TasksResult, profile: ProfileResult): string {
  const user = session.user as NonNullable<WebAppSession['user']>;
  const claims = user.idTokenClaims;
  return renderPage({
    title: 'Your tasks',
    signedIn: { name: user.name, csrf: session.csrf },
    body: html`<h1>Hello, ${user.name}</h1>
<p class="lead">Signed in with the <strong>${session.credential === 'certificate' ? 'certificate' : 'client secret'}</strong> credential. The server validated your ID token and keeps your tokens; this page is plain HTML.</p>
<div class="grid">
<section class="card" aria-labelledby="user-title"><h2 id="user-title">Signed in as</h2>
<dl class="facts">
<dt>name</dt><dd>${user.name}</dd>
<dt>preferred_username</dt><dd>${user.username}</dd>
<dt>oid</dt><dd><code>${user.oid}</code></dd>
<dt>tid</dt><dd><code>${user.tid}</code></dd>
<dt>aud (ID token)</dt><dd><code>${String(claims.aud ?? '')}</code></dd>
<dt>nonce</dt><dd>matched the one this session sent</dd>
</dl></section>
${tasksPanel(tasks)}
${profilePanel(profile)}
${serverLegsPanel(session.legs)}
</div>`,
  });
}

export function renderProblemPage(problem: SignInProblem, catalog: ErrorCatalog): string {
  const entry = problem.code ? catalog.find(problem.code) : undefined;
  return renderPage({
    title: problem.title,
    body: html`<h1>${problem.title}</h1>
<section class="card problem" aria-labelledby="problem-title">
<h2 id="problem-title">What happened</h2>
<dl class="facts">
${problem.code ? html`<dt>Code</dt><dd><code>${problem.code}</code>${entry ? html` · ${entry.title}` : ''}</dd>` : ''}
${problem.error ? html`<dt>error</dt><dd><code>${problem.error}</code></dd>` : ''}
<dt>Description</dt><dd>${problem.description}</dd>
${entry ? html`<dt>Cause</dt><dd>${entry.cause}</dd>` : ''}
<dt>What to do</dt><dd>${entry?.fix ?? problem.fix}</dd>
</dl>
</section>
<p><a class="button" href="/">Back to the web app</a></p>`,
  });
}

export function renderNotFoundPage(path: string): string {
  return renderPage({
    title: 'Not found',
    body: html`<h1>Not found</h1><p>The web app has no page at <code>${path}</code>.</p><p><a href="/">Home</a></p>`,
  });
}
