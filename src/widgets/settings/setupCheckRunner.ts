/**
 * "Check my setup" on the settings page: walks the config the widgets use now, step by step
 * (discovery, signing keys, the SPA's registration, the daemon, then a real sign-in and API call on
 * request), and shows each verdict with the AADSTS code and fix when a step fails. The verdicts
 * themselves are pure functions in ./setupCheck.ts; this runs the requests and fills the markup.
 *
 * Requests go to the tenant and the lab's API only; the access token lives in a local variable for
 * the one API call and is never logged, stored or shown.
 */

import { errorAnchor } from '../../components/reference/labels.ts';
import type { PublicLabConfig } from '../../config/lab.ts';
import { sitePath } from '../../config/sitePath.ts';
import { decodeJwt } from '../../protocol/decodeJwt.ts';
import type { RunResult } from '../client-credentials/runView.ts';
import { readLabConfig } from '../lab-config/readLabConfig.ts';
import { h, part, setBusy } from '../shared/dom.ts';
import { renderError } from '../shared/errorCard.ts';
import type { CatalogEntry, ExplainedError } from '../shared/errorCatalog.ts';
import { explainSignInError } from '../sign-in/explainSignInError.ts';
import {
  type ApiTrust,
  CHECK_STEPS,
  type CheckOutcome,
  type CheckStepId,
  checkApiAnswer,
  checkClientRegistration,
  checkDaemonRun,
  checkDiscovery,
  checkSigningKeys,
  describeSignIn,
  type FetchAnswer,
} from './setupCheck.ts';

type StepState = CheckOutcome['status'] | 'idle' | 'running' | 'waiting';

const VERDICT: Record<StepState, string> = {
  idle: 'Not run',
  running: 'Running…',
  waiting: 'Waiting for you',
  pass: 'Passed',
  fail: 'Failed',
  warn: 'Check this',
  skipped: 'Skipped',
};

/** GET (or POST) and read JSON; a request that gets no readable answer is `network`. */
async function fetchAnswer(url: string, init: RequestInit = {}): Promise<FetchAnswer> {
  try {
    const response = await fetch(url, { credentials: 'omit', signal: AbortSignal.timeout(10_000), ...init });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { kind: 'http', status: response.status, body };
  } catch (error) {
    return { kind: 'network', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

export class SetupCheckRunner {
  readonly #root: HTMLElement;
  readonly #catalog: CatalogEntry[];
  #checking = false;

  constructor(root: HTMLElement, catalog: CatalogEntry[]) {
    this.#root = root;
    this.#catalog = catalog;
  }

  #step(id: CheckStepId): HTMLElement {
    const element = this.#root.querySelector<HTMLElement>(`li[data-step="${id}"]`);
    if (!element) throw new Error(`settings markup is missing step ${id}`);
    return element;
  }

  #setStep(id: CheckStepId, state: StepState, summary = '', details: string[] = [], error?: ExplainedError): void {
    const step = this.#step(id);
    step.dataset.status = state;
    part(this.#root, `verdict-${id}`).textContent = VERDICT[state];
    part(this.#root, `summary-${id}`).textContent = summary;
    const list = part(this.#root, `details-${id}`);
    list.replaceChildren(...details.map((detail) => h('li', {}, h('code', {}, detail))));
    list.hidden = details.length === 0;
    renderError(part(this.#root, `error-${id}`), error);
    // Every code has its own entry, with how to reproduce it in the sandbox.
    const more = part(this.#root, `more-${id}`);
    more.hidden = !error?.code;
    more.replaceChildren(
      ...(error?.code
        ? [h('a', { href: sitePath(`/guides/troubleshooting/#${errorAnchor(error.code)}`) }, `${error.code} in Troubleshooting`)]
        : []),
    );
  }

  #show(id: CheckStepId, outcome: CheckOutcome): void {
    this.#setStep(id, outcome.status, outcome.summary, outcome.details, outcome.error);
  }

  async check(button: HTMLButtonElement): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    setBusy(button, true, 'Checking…');
    const config = readLabConfig();
    for (const id of CHECK_STEPS) this.#setStep(id, 'idle');
    this.#checkStatus(`Checking the setup the widgets use now: tenant ${config.ids.tenantId}…`);
    try {
      this.#setStep('discovery', 'running', `Reading ${config.tenant.discovery}…`);
      const discovery = checkDiscovery(config, this.#catalog, await fetchAnswer(config.tenant.discovery));
      this.#show('discovery', discovery);

      if (discovery.jwksUri) {
        this.#setStep('keys', 'running', `Reading ${discovery.jwksUri}…`);
        this.#show('keys', checkSigningKeys(config, discovery.jwksUri, await fetchAnswer(discovery.jwksUri)));
        this.#setStep('client', 'running', 'Asking the token endpoint whether it knows the SPA’s client ID…');
        this.#show('client', checkClientRegistration(config, this.#catalog, await this.#probeClient(config)));
      } else {
        for (const id of ['keys', 'client'] as const) this.#setStep(id, 'skipped', 'Needs the discovery document (step 1).');
      }
      this.#setStep('sign-in', 'waiting', 'Press “Try a sign-in”: the tenant’s sign-in page opens in a popup.');
      this.#setStep('api', 'waiting', 'Runs after the sign-in, with its access token.');

      this.#setStep('daemon', 'running', 'Running the daemon on the lab’s server (POST /daemon/run)…');
      this.#show('daemon', await this.#runDaemon(config));
      const failed = CHECK_STEPS.filter((id) => this.#step(id).dataset.status === 'fail').length;
      this.#checkStatus(
        failed
          ? `${failed} step${failed === 1 ? '' : 's'} failed: each says why and what to fix. Then try a sign-in.`
          : 'Every automatic step passed. Try a sign-in to check the SPA and the API end to end.',
      );
    } finally {
      this.#checking = false;
      setBusy(button, false, 'Checking…');
    }
  }

  /**
   * A token request with a made-up code (see checkClientRegistration): no credential, no real code,
   * so nothing can be issued; the answer says whether the tenant knows the client ID.
   */
  #probeClient(config: PublicLabConfig): Promise<FetchAnswer> {
    const redirectUri = config.redirectUris.find((uri) => uri.endsWith('/redirect.html')) ?? config.redirectUris[0] ?? '';
    const body = new URLSearchParams({
      client_id: config.ids.spaClientId,
      grant_type: 'authorization_code',
      code: 'lab-setup-check-not-a-real-code',
      redirect_uri: redirectUri,
      code_verifier: 'lab-setup-check-verifier-lab-setup-check-verifier',
      scope: config.delegatedScopes.join(' '),
    });
    return fetchAnswer(config.tenant.token, { method: 'POST', body });
  }

  async #runDaemon(config: PublicLabConfig): Promise<CheckOutcome> {
    const run = async (credential: 'secret' | 'certificate') => {
      const answer = await fetchAnswer(`${config.apiOrigin}/daemon/run`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ credential }),
      });
      return answer.kind === 'http' && answer.body && typeof answer.body === 'object' && 'steps' in answer.body
        ? (answer.body as RunResult)
        : answer;
    };
    let result = await run('secret');
    // The page cannot know which credential .env holds: a secret first, else the certificate.
    if ('steps' in result && result.steps[0]?.note?.startsWith('No client secret is configured')) result = await run('certificate');
    if ('steps' in result) return checkDaemonRun(config, this.#catalog, result);
    return {
      status: 'fail',
      summary: 'The daemon route did not answer.',
      error: {
        title: 'The daemon is not reachable',
        cause: `Nothing usable answered at ${config.apiOrigin}/daemon/run (the daemon runs next to the sample API)${result.kind === 'network' ? '' : `: HTTP ${result.status}`}.`,
        fix: 'Start the lab with npm start, then check again.',
        known: false,
      },
    };
  }

  async trySignIn(button: HTMLButtonElement): Promise<void> {
    const config = readLabConfig();
    setBusy(button, true, 'Signing in…');
    this.#setStep('sign-in', 'running', 'Waiting for the sign-in popup…');
    this.#setStep('api', 'waiting', 'Runs after the sign-in, with its access token.');
    let accessToken: string | undefined;
    try {
      const { getLabMsal } = await import('../msal/publicClient.ts');
      const { pca } = await getLabMsal();
      const result = await pca.loginPopup({ scopes: [...config.delegatedScopes] });
      pca.setActiveAccount(result.account);
      accessToken = result.accessToken;
      const claims = accessToken ? (decodeJwt(accessToken).payload as Record<string, unknown>) : {};
      this.#show('sign-in', describeSignIn(result.account.username, claims, config));
    } catch (error) {
      const explained = explainSignInError(this.#catalog, error);
      if (explained.code === undefined && /user_cancelled/.test(explained.detail ?? '')) {
        explained.fix = `${explained.fix ?? ''} If the popup showed an error page with an AADSTS code (AADSTS50011: redirect URI not registered as Single-page application; AADSTS700016: app not found), that code is the answer: see Troubleshooting.`;
      }
      this.#setStep('sign-in', 'fail', `The sign-in did not complete${explained.code ? ` (${explained.code})` : ''}.`, [], explained);
      this.#setStep('api', 'skipped', 'No access token, so no API call.');
      return;
    } finally {
      setBusy(button, false, 'Signing in…');
    }
    this.#setStep('api', 'running', `Calling ${config.apiOrigin}/api/me with the access token…`);
    const answer = await fetchAnswer(`${config.apiOrigin}/api/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
    accessToken = undefined;
    let trust: ApiTrust | undefined;
    if (answer.kind === 'http' && answer.status >= 400) trust = await this.#apiTrust(config);
    this.#show('api', checkApiAnswer(config, this.#catalog, answer, trust));
  }

  /** What the API trusts, from its own server configuration (GET /api/health), to explain a refusal. */
  async #apiTrust(config: PublicLabConfig): Promise<ApiTrust | undefined> {
    const answer = await fetchAnswer(`${config.apiOrigin}/api/health`);
    if (answer.kind !== 'http' || !answer.body || typeof answer.body !== 'object') return undefined;
    const body = answer.body as { issuers?: unknown; audiences?: unknown };
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
    return { issuers: list(body.issuers), audiences: list(body.audiences) };
  }

  #checkStatus(text: string): void {
    part(this.#root, 'check-status').textContent = text;
  }
}
