/**
 * `<api-caller>`: calls the sample API with the current token (the signed-in user's, through the
 * page's one MSAL instance, or a pasted one), shows the request with the token shortened, the
 * status, the WWW-Authenticate challenge and the body, and asks /api/explain why a call was refused.
 */

import type { PublicLabConfig } from '../../config/lab.ts';
import type { ApiEndpoint } from '../../contracts/api.ts';
import { withLabSession } from '../../flows/labSession.ts';
import { h, part, setBusy } from '../shared/dom.ts';
import { renderError } from '../shared/errorCard.ts';
import { firstConnection, labConfigOr, noConfigurationCard } from '../shared/labElement.ts';
import { describeApiResponse, planApiCall } from './apiRequest.ts';

interface ExplainStep {
  step: string;
  status: 'pass' | 'fail' | 'skipped';
  summary: string;
  problem?: { code?: string; description: string; fix: string };
}

interface Explanation {
  verdict: string;
  status: number;
  problem?: { code?: string; description: string; fix: string; step: string };
  steps: ExplainStep[];
}

export class ApiCallerElement extends HTMLElement {
  #config: PublicLabConfig | undefined;
  #lastToken = '';
  #lastEndpoint: ApiEndpoint = 'GET /api/tasks';

  connectedCallback(): void {
    if (!firstConnection(this)) return;
    this.#config = labConfigOr(noConfigurationCard(this), 'server');
    if (!this.#config) return;
    const hasSignIn = Boolean(document.querySelector('sign-in-widget'));
    const userChoice = this.querySelector<HTMLInputElement>('input[value="user"]');
    if (userChoice && !hasSignIn) {
      userChoice.disabled = true;
      const paste = this.querySelector<HTMLInputElement>('input[value="paste"]');
      if (paste) paste.checked = true;
      part(this, 'user-note').textContent =
        'There is no sign-in widget on this page: paste a token, or use the API caller on the Sign-in tool page.';
    }
    for (const radio of this.querySelectorAll<HTMLInputElement>('input[name$="-source"]'))
      radio.addEventListener('change', () => this.#syncSource());
    this.#syncSource();
    part(this, 'form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#call();
    });
    part(this, 'explain-button').addEventListener('click', () => void this.#explain());
  }

  #source(): 'user' | 'paste' {
    return (this.querySelector<HTMLInputElement>('input[name$="-source"]:checked')?.value as 'user' | 'paste') ?? 'paste';
  }

  #syncSource(): void {
    part(this, 'paste-field').hidden = this.#source() !== 'paste';
  }

  async #token(): Promise<string | undefined> {
    if (this.#source() === 'paste')
      return part<HTMLTextAreaElement>(this, 'token')
        .value.trim()
        .replace(/^bearer\s+/i, '');
    // Loaded only now, and only where a sign-in widget already put MSAL on the page.
    const [{ getLabMsal }, { apiTokenRequest }] = await Promise.all([import('../msal/publicClient.ts'), import('../msal/msalConfig.ts')]);
    const { pca } = await getLabMsal();
    const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
    if (!account || !this.#config) return undefined;
    const result = await pca.acquireTokenSilent({ ...apiTokenRequest(this.#config), account });
    return result.accessToken;
  }

  async #call(): Promise<void> {
    if (!this.#config) return;
    const button = part<HTMLButtonElement>(this, 'call-button');
    renderError(part(this, 'error'), undefined);
    part(this, 'explain').hidden = true;
    setBusy(button, true, 'Calling…');
    this.#status('Calling the API…');
    try {
      let token: string | undefined;
      try {
        token = await this.#token();
      } catch (error) {
        renderError(part(this, 'error'), {
          title: 'No token from MSAL',
          cause: error instanceof Error ? error.message : String(error),
          fix: 'Sign in again with the sign-in widget, then call the API.',
          known: false,
        });
        this.#status('No token: the call was not made.');
        return;
      }
      if (token === undefined) {
        this.#status('Nobody is signed in: press Sign in above first (or paste a token). Calling without a token anyway, to show the 401.');
        token = '';
      }
      const endpoint = part<HTMLSelectElement>(this, 'endpoint').value as ApiEndpoint;
      const title = part<HTMLInputElement>(this, 'title').value.trim() || 'Write the report';
      const plan = planApiCall(this.#config.apiOrigin, endpoint, token, title);
      this.#lastToken = token;
      this.#lastEndpoint = endpoint;
      part(this, 'request').textContent = plan.shown;
      let response: Response;
      try {
        // lab_session scopes the tracer's events to this browser; the request shown stays the plain URL.
        response = await fetch(withLabSession(plan.url), {
          method: plan.method,
          headers: plan.headers,
          ...(plan.body ? { body: plan.body } : {}),
          credentials: 'omit',
        });
      } catch {
        part(this, 'exchange').hidden = false;
        part(this, 'response-status').textContent = 'No response';
        part(this, 'challenge').replaceChildren();
        part(this, 'response-body').textContent = '';
        renderError(part(this, 'error'), {
          title: 'The sample API is not reachable',
          cause: `Nothing answered at ${this.#config.apiOrigin}.`,
          fix: 'Start the lab with npm start (it starts the sample API), then try again.',
          known: false,
        });
        this.#status('The API did not answer.');
        return;
      }
      const view = describeApiResponse(
        response.status,
        response.statusText,
        response.headers.get('www-authenticate'),
        await response.text(),
      );
      part(this, 'exchange').hidden = false;
      part(this, 'exchange').dataset.status = String(view.status);
      part(this, 'response-status').textContent =
        `${view.status} ${view.statusText}${view.status < 300 ? ' (allowed)' : view.refused ? ' (refused)' : ''}`;
      part(this, 'challenge').replaceChildren(
        ...(view.challenge
          ? [
              h('p', {}, h('strong', {}, 'WWW-Authenticate: '), h('code', {}, response.headers.get('www-authenticate') ?? '')),
              h(
                'dl',
                {},
                ...Object.entries(view.challenge.params).flatMap(([name, value]) => [h('dt', {}, h('code', {}, name)), h('dd', {}, value)]),
              ),
            ]
          : []),
      );
      part(this, 'response-body').textContent = view.body;
      part<HTMLButtonElement>(this, 'explain-button').hidden = !view.refused;
      this.#status(
        `${endpoint} → ${view.status} ${view.statusText}.${view.refused ? ' Press “Why was it refused?” for the API’s step-by-step reasons.' : ''}`,
      );
    } finally {
      setBusy(button, false, 'Calling…');
    }
  }

  async #explain(): Promise<void> {
    if (!this.#config) return;
    const button = part<HTMLButtonElement>(this, 'explain-button');
    setBusy(button, true);
    this.#status('Asking the API to explain…');
    const panel = part(this, 'explain');
    try {
      const response = await fetch(`${this.#config.apiOrigin}/api/explain`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(this.#lastToken ? { token: this.#lastToken, endpoint: this.#lastEndpoint } : { endpoint: this.#lastEndpoint }),
        credentials: 'omit',
      });
      const body = (await response.json()) as Explanation | { error: string; error_description: string };
      if (!('steps' in body)) {
        panel.replaceChildren(h('p', {}, h('strong', {}, `${response.status} ${body.error}: `), body.error_description));
      } else {
        panel.replaceChildren(
          h('div', {}, h('p', {}, h('strong', {}, `Verdict: ${body.verdict}`), ` (the API answers ${body.status})`)),
          body.problem
            ? h(
                'p',
                { class: 'problem' },
                body.problem.code ? h('code', {}, body.problem.code) : null,
                ` ${body.problem.description} `,
                h('strong', {}, 'Fix: '),
                body.problem.fix,
              )
            : '',
          h(
            'ol',
            { class: 'steps' },
            ...body.steps.map((step) =>
              h(
                'li',
                { 'data-status': step.status },
                h('strong', {}, `${step.step}: ${step.status === 'pass' ? 'passed' : step.status === 'fail' ? 'FAILED' : 'skipped'}`),
                ` — ${step.summary}`,
              ),
            ),
          ),
        );
      }
      panel.hidden = false;
      panel.focus();
      this.#status('The API explained its decision below.');
    } catch {
      panel.replaceChildren(h('p', {}, 'The API did not answer /api/explain. Is it running? npm start starts it.'));
      panel.hidden = false;
      this.#status('The API did not answer.');
    } finally {
      setBusy(button, false);
    }
  }

  #status(text: string): void {
    part(this, 'status').textContent = text;
  }
}

export function defineApiCaller(): void {
  if (!customElements.get('api-caller')) customElements.define('api-caller', ApiCallerElement);
}
