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
import { type CatalogEntry, explainError } from '../shared/errorCatalog.ts';
import { firstConnection, labConfigOr, noConfigurationCard } from '../shared/labElement.ts';
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
    const list = part(this, 'steps');
    list.replaceChildren(
      ...result.steps.map((step) => {
        const blocks: (HTMLElement | null)[] = [];
        const x = step.exchange;
        if (x?.form)
          blocks.push(
            h(
              'pre',
              { class: 'http-message', tabindex: '0' },
              `POST ${x.url}\nContent-Type: application/x-www-form-urlencoded\n\n${formatForm(x.form)}`,
            ),
          );
        if (x && step.id.startsWith('api-call')) {
          blocks.push(
            h(
              'pre',
              { class: 'http-message', tabindex: '0' },
              [`${x.method} ${x.url}`, ...Object.entries(x.headers ?? {}).map(([k, v]) => `${k}: ${v}`)].join('\n'),
            ),
          );
          if (x.wwwAuthenticate) blocks.push(h('p', {}, h('strong', {}, 'WWW-Authenticate: '), h('code', {}, x.wwwAuthenticate)));
          if (x.responseBody !== undefined)
            blocks.push(h('pre', { class: 'http-message', tabindex: '0' }, JSON.stringify(x.responseBody, null, 2)));
        }
        if (step.id === 'token-response' && x?.responseBody !== undefined)
          blocks.push(h('pre', { class: 'http-message', tabindex: '0' }, JSON.stringify(x.responseBody, null, 2)));
        if (step.note) blocks.push(h('p', { class: 'note' }, step.note));
        return h(
          'li',
          { 'data-step': step.id, 'data-status': step.status, ...(x?.status ? { 'data-http': String(x.status) } : {}) },
          h('p', { class: 'headline' }, h('strong', {}, stepHeadline(step)), step.status === 'failed' ? ' (failed)' : ''),
          ...blocks,
        );
      }),
    );
    const failed = result.steps.find((step) => step.error?.code || step.status === 'failed');
    if (failed?.error?.code) {
      renderError(
        part(this, 'error'),
        explainError(this.#catalog, failed.error.code, failed.error.error ?? 'Token request refused', failed.error.description),
      );
    } else if (failed && !failed.id.startsWith('api-call')) {
      const title = failed.error?.error ? `The token request failed (${failed.error.error})` : 'The run stopped';
      renderError(part(this, 'error'), { title, detail: failed.note ?? failed.error?.description ?? '', known: false });
    }
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
