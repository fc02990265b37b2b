/**
 * `<lab-settings>`: the settings page. A form for the public identifiers of the user's own tenant
 * (saved to localStorage only, never a secret), a share link that carries them, what the widgets
 * use once they apply, and "Check my setup", which walks the current config step by step.
 *
 * Requests go to the tenant and the lab's API only; a token lives in a local variable for the one
 * API call and is never logged, stored or shown.
 */
import { errorAnchor } from '../../components/reference/labels.ts';
import { ENTRA_PUBLIC_CLOUD, type PublicLabConfig } from '../../config/lab.ts';
import { decodeJwt } from '../../protocol/decodeJwt.ts';
import type { RunResult } from '../client-credentials/runView.ts';
import { type AuthorityChoice, authorityChoices, buildTenant } from '../lab-config/browserSettings.ts';
import { readBuiltLabConfig, readLabConfig } from '../lab-config/readLabConfig.ts';
import { type BrowserSettings, readBrowserSettings, SETTINGS_CHANGED_EVENT, SETTINGS_STORAGE_KEY } from '../lab-config/storedSettings.ts';
import { h, part, setBusy } from '../shared/dom.ts';
import { renderError } from '../shared/errorCard.ts';
import type { CatalogEntry, ExplainedError } from '../shared/errorCatalog.ts';
import { readScriptJson } from '../shared/scriptJson.ts';
import { explainSignInError } from '../sign-in/explainSignInError.ts';
import {
  credentialMessage,
  FIELD_SPECS,
  type FieldProblem,
  type FormValues,
  formValuesFrom,
  looksLikeCredential,
  SETTINGS_FIELDS,
  type SettingsField,
  validateSettings,
} from './settingsForm.ts';
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
import { buildSettingsShareLink, parseSettingsShareFragment } from './shareLink.ts';
import { tenantBadgeView } from './tenantBadge.ts';

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

export class SettingsElement extends HTMLElement {
  #built!: PublicLabConfig;
  #choices: AuthorityChoice[] = [];
  #catalog: CatalogEntry[] = [];
  #checking = false;
  /** Fields whose last value was a credential: cleared, and they keep saying why until retyped. */
  #refused = new Map<SettingsField, FieldProblem>();

  connectedCallback(): void {
    if (this.dataset.ready) return;
    this.dataset.ready = 'true';
    this.#catalog = readScriptJson<CatalogEntry[]>(this, 'data-error-catalog') ?? [];
    try {
      this.#built = readBuiltLabConfig();
    } catch (error) {
      this.#status(error instanceof Error ? error.message : String(error));
      return;
    }
    this.#choices = authorityChoices(this.#built);
    this.#fillForm(formValuesFrom(readBrowserSettings(), this.#defaultAuthority()));

    part<HTMLFormElement>(this, 'form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#save();
    });
    for (const field of SETTINGS_FIELDS) {
      // A pasted secret is cleared at once: it is never kept, not even until the next Save.
      this.#input(field).addEventListener('input', () => this.#refuseCredential(field));
    }
    this.#on('reset', () => this.#reset());
    this.#on('share', () => void this.#share());
    this.#on('check', (button) => void this.#check(button));
    this.#on('sign-in', (button) => void this.#trySignIn(button));
    this.#on('use-shared', () => this.#useShared());
    this.#on('ignore-shared', () => this.#ignoreShared());
    part(this, 'error-summary').addEventListener('click', (event) => {
      const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[data-field]');
      if (!link) return;
      event.preventDefault(); // the fragment belongs to share links; move focus instead
      this.#input(link.dataset.field as SettingsField).focus();
    });
    window.addEventListener('hashchange', () => this.#readShared());
    window.addEventListener('storage', (event) => {
      if (event.key === null || event.key === SETTINGS_STORAGE_KEY) this.#renderEffective();
    });
    this.#renderEffective();
    this.#readShared();
  }

  #on(action: string, handler: (button: HTMLButtonElement) => void): void {
    for (const button of this.querySelectorAll<HTMLButtonElement>(`button[data-action="${action}"]`)) {
      button.addEventListener('click', () => handler(button));
    }
  }

  #defaultAuthority(): string {
    return this.#built.mode === 'real' ? buildTenant(this.#built).authorityOrigin : ENTRA_PUBLIC_CLOUD;
  }

  #input(field: SettingsField): HTMLInputElement | HTMLSelectElement {
    const element = this.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-field="${field}"]:is(input, select)`);
    if (!element) throw new Error(`settings markup is missing the ${field} field`);
    return element;
  }

  #formValues(): FormValues {
    return Object.fromEntries(SETTINGS_FIELDS.map((field) => [field, this.#input(field).value])) as FormValues;
  }

  #fillForm(values: Partial<FormValues>): void {
    for (const field of SETTINGS_FIELDS) {
      const input = this.#input(field);
      const value = values[field] ?? (field === 'authorityHost' ? this.#defaultAuthority() : '');
      if (input instanceof HTMLSelectElement && ![...input.options].some((option) => option.value === value)) {
        // A shared link may name a host this site does not offer: shown, selected, and refused by validation.
        input.append(h('option', { value, 'data-foreign': true }, `${value} (not allowed)`));
      }
      input.value = value;
    }
  }

  #refuseCredential(field: SettingsField): void {
    const input = this.#input(field);
    const kind = looksLikeCredential(input.value);
    if (!kind) {
      if (input.value) this.#refused.delete(field);
      return;
    }
    input.value = '';
    const problem = { field, message: credentialMessage(field, kind), credential: true };
    this.#refused.set(field, problem);
    this.#showProblems([problem], false);
  }

  /** Field errors beside each field (aria-invalid + aria-describedby) and a summary that links to them. */
  #showProblems(problems: FieldProblem[], focusSummary: boolean): void {
    for (const field of SETTINGS_FIELDS) {
      const problem = problems.find((p) => p.field === field);
      const input = this.#input(field);
      const message = this.querySelector<HTMLElement>(`[data-error-for="${field}"]`);
      if (problem) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      if (message) {
        message.hidden = !problem;
        message.textContent = problem ? problem.message : '';
      }
      if (problem?.credential) input.value = '';
    }
    const summary = part(this, 'error-summary');
    summary.hidden = problems.length === 0;
    summary.replaceChildren(
      h('h3', {}, problems.length === 1 ? 'There is 1 problem' : `There are ${problems.length} problems`),
      h(
        'ul',
        {},
        ...problems.map((problem) =>
          h(
            'li',
            {},
            h('a', { href: `#${this.#input(problem.field).id}`, 'data-field': problem.field }, FIELD_SPECS[problem.field].label),
            `: ${problem.message}`,
          ),
        ),
      ),
    );
    if (problems.length && focusSummary) summary.focus();
  }

  #validate(focusSummary: boolean): BrowserSettings | undefined {
    const result = validateSettings(
      this.#formValues(),
      this.#choices.map((choice) => choice.authorityHost),
    );
    // A field emptied because it held a secret says so, rather than "Enter the …".
    const problems = result.problems.map((problem) => this.#refused.get(problem.field) ?? problem);
    this.#showProblems(problems, focusSummary);
    return result.settings;
  }

  #save(): boolean {
    const settings = this.#validate(true);
    if (!settings) {
      this.#status('Not saved: fix the fields listed above.');
      return false;
    }
    try {
      localStorage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(settings));
    } catch {
      this.#status('Not saved: this browser blocks localStorage for the site (private mode or a strict privacy setting).');
      return false;
    }
    window.dispatchEvent(new CustomEvent(SETTINGS_CHANGED_EVENT));
    this.#renderEffective();
    const view = tenantBadgeView(buildTenant(this.#built), settings);
    this.#status(
      `Saved in this browser. The widgets now use ${view.kind === 'sandbox' ? 'the sandbox tenant' : `tenant ${view.tenantId}`}; reload pages that are already open.`,
    );
    return true;
  }

  #reset(): void {
    try {
      localStorage.removeItem(SETTINGS_STORAGE_KEY);
    } catch {
      // nothing was stored then
    }
    this.#fillForm(formValuesFrom({}, this.#defaultAuthority()));
    this.#refused.clear();
    this.#showProblems([], false);
    this.#hideShared();
    window.dispatchEvent(new CustomEvent(SETTINGS_CHANGED_EVENT));
    this.#renderEffective();
    this.#status(
      `Cleared. The widgets use the server configuration again (${this.#built.mode === 'sandbox' ? 'the sandbox tenant' : `tenant ${this.#built.ids.tenantId}`}).`,
    );
  }

  async #share(): Promise<void> {
    const settings = this.#validate(true);
    const field = part<HTMLInputElement>(this, 'share-url');
    if (!settings) {
      this.#status('No link: fix the fields listed above first.');
      return;
    }
    const link = buildSettingsShareLink(location.href, settings);
    field.value = link;
    part(this, 'share-box').hidden = false;
    try {
      await navigator.clipboard.writeText(link);
      this.#status('Share link copied. It carries the five public IDs only, in the part after # that browsers never send to a server.');
    } catch {
      field.select();
      this.#status('The browser did not allow copying: the link is selected in the field below, copy it from there.');
    }
  }

  // ---- share links ------------------------------------------------------------------------------

  #readShared(): void {
    const shared = parseSettingsShareFragment(location.hash);
    if (!shared) return;
    this.#fillForm(shared.values);
    const panel = part(this, 'shared');
    panel.hidden = false;
    part(this, 'shared-refused').replaceChildren(...shared.refused.map((text) => h('li', {}, text)));
    part(this, 'shared-refused').hidden = shared.refused.length === 0;
    // Invalid values in the link show as errors in the form; nothing is stored until the user confirms.
    this.#validate(false);
    this.#status('A share link filled in the form. Nothing is applied until you press “Use these settings”.');
    panel.focus();
  }

  #clearFragment(): void {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }

  #hideShared(): void {
    part(this, 'shared').hidden = true;
    if (location.hash) this.#clearFragment();
  }

  #useShared(): void {
    if (this.#save()) this.#hideShared();
  }

  #ignoreShared(): void {
    this.#hideShared();
    this.#fillForm(formValuesFrom(readBrowserSettings(), this.#defaultAuthority()));
    this.#refused.clear();
    this.#showProblems([], false);
    this.#status('The link was ignored; the form shows the saved settings again.');
  }

  // ---- what the widgets use ---------------------------------------------------------------------

  #renderEffective(): void {
    const config = readLabConfig();
    const settings = readBrowserSettings();
    const view = tenantBadgeView(buildTenant(this.#built), settings);
    part(this, 'current').textContent =
      `The widgets use ${view.kind === 'sandbox' ? 'the sandbox tenant' : 'a real tenant'} (${view.tenantId}), from the ${view.sourceText}.`;
    const rows: [string, string | string[]][] = [
      ['Authority', config.tenant.authority],
      ['Issuer the API must trust', config.tenant.issuer],
      ['Discovery document', config.tenant.discovery],
      ['SPA client ID', config.ids.spaClientId],
      ['Scopes the sign-in asks for', config.delegatedScopes],
      ['Redirect URIs to register as Single-page application', config.redirectUris],
      ['API client ID (aud of its v2 tokens)', config.ids.apiClientId],
      ['API App ID URI', config.ids.apiAppIdUri],
    ];
    part(this, 'effective').replaceChildren(
      ...rows.flatMap(([term, value]) => [
        h('dt', {}, term),
        h('dd', {}, ...(Array.isArray(value) ? value : [value]).flatMap((v, i) => [i > 0 ? h('br') : null, h('code', {}, v)])),
      ]),
    );
  }

  // ---- check my setup ---------------------------------------------------------------------------

  #step(id: CheckStepId): HTMLElement {
    const element = this.querySelector<HTMLElement>(`li[data-step="${id}"]`);
    if (!element) throw new Error(`settings markup is missing step ${id}`);
    return element;
  }

  #setStep(id: CheckStepId, state: StepState, summary = '', details: string[] = [], error?: ExplainedError): void {
    const step = this.#step(id);
    step.dataset.status = state;
    part(this, `verdict-${id}`).textContent = VERDICT[state];
    part(this, `summary-${id}`).textContent = summary;
    const list = part(this, `details-${id}`);
    list.replaceChildren(...details.map((detail) => h('li', {}, h('code', {}, detail))));
    list.hidden = details.length === 0;
    renderError(part(this, `error-${id}`), error);
    // Every code has its own entry, with how to reproduce it in the sandbox.
    const more = part(this, `more-${id}`);
    more.hidden = !error?.code;
    more.replaceChildren(
      ...(error?.code ? [h('a', { href: `/guides/troubleshooting/#${errorAnchor(error.code)}` }, `${error.code} in Troubleshooting`)] : []),
    );
  }

  #show(id: CheckStepId, outcome: CheckOutcome): void {
    this.#setStep(id, outcome.status, outcome.summary, outcome.details, outcome.error);
  }

  async #check(button: HTMLButtonElement): Promise<void> {
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

  async #trySignIn(button: HTMLButtonElement): Promise<void> {
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

  #status(text: string): void {
    part(this, 'status').textContent = text;
  }

  #checkStatus(text: string): void {
    part(this, 'check-status').textContent = text;
  }
}

export function defineSettings(): void {
  if (!customElements.get('lab-settings')) customElements.define('lab-settings', SettingsElement);
}
