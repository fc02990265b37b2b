/**
 * `<workload-identity-run>`: starts the daemon as a CI job with a federated credential on the lab's
 * server (POST /daemon/run-federated) and shows each leg it reports. No token reaches the page
 * whole: both arrive decoded, without their signatures.
 */
import { type PublicLabConfig, workloadIssuerEndpoints } from '../../config/lab.ts';
import { RUN_FEDERATED_PATH, type WorkloadRunRequest } from '../../flows/workload-identity/contract.ts';
import { startDaemonRun } from '../shared/daemonRun.ts';
import { h, part, setBusy } from '../shared/dom.ts';
import { renderError } from '../shared/errorCard.ts';
import { type CatalogEntry, explainError } from '../shared/errorCatalog.ts';
import { firstConnection, labConfigOr, noConfigurationCard } from '../shared/labElement.ts';
import { readScriptJson } from '../shared/scriptJson.ts';
import { compareTokens, showClaim } from './compareTokens.ts';
import { formatForm, runSummary, stepHeadline, WORKLOAD_BREAK_LABELS, type WorkloadBreakIt, type WorkloadRunResult } from './runView.ts';

const pre = (text: string) => h('pre', { class: 'http-message', tabindex: '0' }, text);

export class WorkloadIdentityElement extends HTMLElement {
  #config: PublicLabConfig | undefined;
  #catalog: CatalogEntry[] = [];

  connectedCallback(): void {
    if (!firstConnection(this)) return;
    this.#catalog = readScriptJson<CatalogEntry[]>(this, 'data-error-catalog') ?? [];
    this.#config = labConfigOr(noConfigurationCard(this), 'server');
    if (!this.#config) return;
    // The workload issuer runs in the sandbox only: a real tenant cannot reach this machine to read its keys.
    part(this, 'issuer').textContent =
      this.#config.mode === 'sandbox' ? workloadIssuerEndpoints(this.#config).issuer : 'the sandbox’s workload issuer (sandbox mode only)';
    part(this, 'run-button').addEventListener('click', (event) => void this.#run(event.currentTarget as HTMLButtonElement, {}));
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-break]')) {
      button.addEventListener('click', () => void this.#run(button, { breakIt: button.dataset.break as WorkloadBreakIt }));
    }
    part<HTMLFormElement>(this, 'pretend-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const form = new FormData(event.currentTarget as HTMLFormElement);
      const subject = String(form.get('subject') ?? '').trim();
      const audience = String(form.get('audience') ?? '').trim();
      void this.#run(part<HTMLButtonElement>(this, 'pretend-button'), {
        pretend: { ...(subject ? { subject } : {}), ...(audience ? { audience } : {}) },
      });
    });
  }

  async #run(button: HTMLButtonElement, request: WorkloadRunRequest): Promise<void> {
    if (!this.#config) return;
    const buttons = [...this.querySelectorAll<HTMLButtonElement>('button')];
    for (const b of buttons) b.disabled = true;
    setBusy(button, true, 'Running…');
    renderError(part(this, 'error'), undefined);
    part(this, 'steps').replaceChildren();
    part(this, 'tokens').hidden = true;
    this.#status(
      request.breakIt
        ? `Running the job with one thing broken: ${WORKLOAD_BREAK_LABELS[request.breakIt].what}`
        : request.pretend
          ? 'Minting a token with your subject and audience, and presenting it to Entra…'
          : 'Running the CI job: workload token, then Entra, then the API…',
    );
    const url = `${this.#config.apiOrigin}${RUN_FEDERATED_PATH}`;
    try {
      const result = await startDaemonRun<WorkloadRunResult>(this, url, request);
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

  #show(result: WorkloadRunResult): void {
    part(this, 'steps').replaceChildren(
      ...result.steps.map((step) => {
        const x = step.exchange;
        const blocks: HTMLElement[] = [];
        if (step.id === 'workload-token' && x) {
          blocks.push(
            pre(
              [
                `${x.method} ${x.url}`,
                ...Object.entries(x.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
                ...(x.body ? ['', JSON.stringify(x.body)] : []),
              ].join('\n'),
            ),
          );
          if (x.responseBody !== undefined) blocks.push(pre(JSON.stringify(x.responseBody, null, 2)));
        }
        if (x?.form) blocks.push(pre(`POST ${x.url}\nContent-Type: application/x-www-form-urlencoded\n\n${formatForm(x.form)}`));
        if ((step.id === 'token-response' || step.id === 'api-call') && x?.responseBody !== undefined) {
          if (step.id === 'api-call')
            blocks.push(pre([`${x.method} ${x.url}`, ...Object.entries(x.headers ?? {}).map(([k, v]) => `${k}: ${v}`)].join('\n')));
          blocks.push(pre(JSON.stringify(x.responseBody, null, 2)));
        }
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
    } else if (failed) {
      renderError(part(this, 'error'), { title: 'The run stopped', detail: failed.note ?? failed.error?.description ?? '', known: false });
    }
    const external = result.workloadToken?.claims ?? {};
    const entra = result.accessToken?.claims ?? {};
    part(this, 'compare-rows').replaceChildren(
      ...compareTokens(external, entra).map((row) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, h('code', {}, row.claim)),
          h('td', {}, showClaim(row.external)),
          h('td', {}, showClaim(row.entra)),
          h('td', {}, row.note),
        ),
      ),
    );
    part(this, 'decoded').textContent = JSON.stringify(
      { workloadToken: result.workloadToken ?? null, accessToken: result.accessToken ?? null },
      null,
      2,
    );
    part(this, 'tokens').hidden = !result.workloadToken;
    this.#status(runSummary(result));
  }

  #status(text: string): void {
    part(this, 'status').textContent = text;
  }
}

export function defineWorkloadIdentity(): void {
  if (!customElements.get('workload-identity-run')) customElements.define('workload-identity-run', WorkloadIdentityElement);
}
