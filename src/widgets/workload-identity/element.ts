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
import type { CatalogEntry } from '../shared/errorCatalog.ts';
import { firstConnection, labConfigOr, noConfigurationCard } from '../shared/labElement.ts';
import { httpMessage, requestLines, showRunFailure, stepItem } from '../shared/runSteps.ts';
import { readScriptJson } from '../shared/scriptJson.ts';
import { compareTokens, showClaim } from './compareTokens.ts';
import { formatForm, runSummary, stepHeadline, WORKLOAD_BREAK_LABELS, type WorkloadBreakIt, type WorkloadRunResult } from './runView.ts';

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
        const messages: HTMLElement[] = [];
        if (x && (step.id === 'workload-token' || step.id === 'api-call'))
          messages.push(httpMessage(`${requestLines(x)}${x.body ? `\n\n${JSON.stringify(x.body)}` : ''}`));
        if (x?.form) messages.push(httpMessage(`POST ${x.url}\nContent-Type: application/x-www-form-urlencoded\n\n${formatForm(x.form)}`));
        if (x?.responseBody !== undefined && step.id !== 'token-request')
          messages.push(httpMessage(JSON.stringify(x.responseBody, null, 2)));
        return stepItem(step, stepHeadline(step), messages);
      }),
    );
    showRunFailure(this, this.#catalog, result.steps);
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
