/**
 * `<client-credentials-run>`: starts a run of the daemon on the lab's server (POST /daemon/run) and
 * shows each step it reports. The secret and the private key stay on the server: the page only
 * says which credential to use and what to break.
 */

import type { PublicLabConfig } from '../../config/lab.ts';
import { shortenToken, unsignedJwt } from '../../protocol/redact.ts';
import { startDaemonRun } from '../shared/daemonRun.ts';
import { h, part, setBusy } from '../shared/dom.ts';
import { renderError } from '../shared/errorCard.ts';
import type { CatalogEntry } from '../shared/errorCatalog.ts';
import { firstConnection, labConfigOr, noConfigurationCard } from '../shared/labElement.ts';
import { httpMessage, requestLines, showRunFailure, stepItem } from '../shared/runSteps.ts';
import { readScriptJson } from '../shared/scriptJson.ts';
import type { TokenDecoderElement } from '../token-decoder/element.ts';
import { BREAK_IT_LABELS, type BreakIt, formatForm, type RunResult, stepHeadline } from './runView.ts';

export class ClientCredentialsElement extends HTMLElement {
  #config: PublicLabConfig | undefined;
  #catalog: CatalogEntry[] = [];

  connectedCallback(): void {
    if (!firstConnection(this)) return;
    this.#catalog = readScriptJson<CatalogEntry[]>(this, 'data-error-catalog') ?? [];
    this.#config = labConfigOr(noConfigurationCard(this), 'server');
    if (!this.#config) return;
    part(this, 'run-button').addEventListener('click', (event) => void this.#run(event.currentTarget as HTMLButtonElement));
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-break]')) {
      button.addEventListener('click', () => void this.#run(button, button.dataset.break as BreakIt));
    }
  }

  #credential(): 'secret' | 'certificate' {
    return this.querySelector<HTMLInputElement>('input[name$="-credential"]:checked')?.value === 'certificate' ? 'certificate' : 'secret';
  }

  async #run(button: HTMLButtonElement, breakIt?: BreakIt): Promise<void> {
    if (!this.#config) return;
    const buttons = [...this.querySelectorAll<HTMLButtonElement>('button[data-part="run-button"], button[data-break]')];
    for (const b of buttons) b.disabled = true;
    setBusy(button, true, 'Running…');
    renderError(part(this, 'error'), undefined);
    part(this, 'steps').replaceChildren();
    part(this, 'tokens').hidden = true;
    const credential = breakIt === 'wrong-secret' ? 'secret' : breakIt === 'expired-certificate' ? 'certificate' : this.#credential();
    this.#status(
      breakIt
        ? `Running with one thing broken: ${BREAK_IT_LABELS[breakIt].what}`
        : `Running the daemon with its ${credential === 'secret' ? 'client secret' : 'certificate'}…`,
    );
    try {
      const result = await startDaemonRun<RunResult>(
        this,
        `${this.#config.apiOrigin}/daemon/run`,
        breakIt ? { credential, breakIt } : { credential },
      );
      if (!result) {
        this.#status('The run could not start.');
        return;
      }
      this.#show(result);
    } finally {
      setBusy(button, false, 'Running…');
      for (const b of buttons) b.disabled = false;
    }
  }

  #show(result: RunResult): void {
    part(this, 'steps').replaceChildren(
      ...result.steps.map((step) => {
        const x = step.exchange;
        const messages: HTMLElement[] = [];
        if (x?.form) messages.push(httpMessage(`POST ${x.url}\nContent-Type: application/x-www-form-urlencoded\n\n${formatForm(x.form)}`));
        if (x && step.id.startsWith('api-call')) {
          messages.push(httpMessage(requestLines(x)));
          if (x.wwwAuthenticate) messages.push(h('p', {}, h('strong', {}, 'WWW-Authenticate: '), h('code', {}, x.wwwAuthenticate)));
        }
        if (x?.responseBody !== undefined && (step.id === 'token-response' || step.id.startsWith('api-call')))
          messages.push(httpMessage(JSON.stringify(x.responseBody, null, 2)));
        return stepItem(step, stepHeadline(step), messages);
      }),
    );
    // The API refusing the daemon's write (403) is the lesson, not a failure of the run.
    showRunFailure(this, this.#catalog, result.steps, (step) => step.id.startsWith('api-call'));
    const tokens = part(this, 'tokens');
    const [assertionDecoder, tokenDecoder] = [...this.querySelectorAll<TokenDecoderElement>('token-decoder')];
    part(this, 'assertion-block').hidden = !result.clientAssertion;
    if (result.clientAssertion && assertionDecoder)
      void assertionDecoder.show(
        unsignedJwt(result.clientAssertion),
        'Client assertion (RFC 7523), signed with the certificate’s private key',
        {
          signatureRemoved:
            'not shown. The assertion is a credential: whoever holds it whole gets tokens until it expires, so the lab hands the page its header and claims only.',
        },
      );
    part(this, 'token-block').hidden = !result.accessToken;
    if (result.accessToken && tokenDecoder) void tokenDecoder.show(result.accessToken, 'App-only access token');
    tokens.hidden = !result.clientAssertion && !result.accessToken;
    const get = result.steps.find((s) => s.id === 'api-call')?.exchange?.status;
    const post = result.steps.find((s) => s.id === 'api-call-write')?.exchange?.status;
    const code = result.steps.find((s) => s.error?.code)?.error?.code;
    this.#status(
      result.accessToken
        ? `Token issued (${result.credential}${result.tokenMs ? `, ${Math.round(result.tokenMs)} ms` : ''}: ${shortenToken(result.accessToken)}). GET /api/tasks → ${get ?? '—'}, POST /api/tasks → ${post ?? '—'}.`
        : `No token: ${code ?? 'the run failed'}. See the error below.`,
    );
  }

  #status(text: string): void {
    part(this, 'status').textContent = text;
  }
}

export function defineClientCredentials(): void {
  if (!customElements.get('client-credentials-run')) customElements.define('client-credentials-run', ClientCredentialsElement);
}
