/**
 * `<on-behalf-of-run>`: the live run of on-behalf-of. With the user signed in by the page's sign-in
 * widget (the page's one MSAL instance), it gets the SPA's token for the Tasks API, calls
 * `GET /api/me/profile`, and shows each leg the Tasks API ran (the token exchange, the Profile API
 * call) with tokens shortened and decoded, plus token A's and token B's claims side by side. When the
 * Tasks API answers `consent_required` (AADSTS65001), it offers the combined consent: a popup for
 * the Tasks API's `/.default`, whose consent page also covers what the Tasks API calls downstream.
 */
import type { PublicLabConfig } from '../../config/lab.ts';
import { SESSION_PARAM } from '../../contracts/protocolEvents.ts';
import { getLabSessionId, withLabSession } from '../../flows/labSession.ts';
import { combinedConsentScope, type MeProfileAnswer } from '../../flows/on-behalf-of/contract.ts';
import { decodeJwt } from '../../protocol/decodeJwt.ts';
import { shortenToken } from '../../protocol/redact.ts';
import { h, part, setBusy } from '../shared/dom.ts';
import { renderError } from '../shared/errorCard.ts';
import { firstConnection, labConfigOr, noConfigurationCard } from '../shared/labElement.ts';
import { compareClaims, describeRun, tokenClaims } from './oboView.ts';

/** `lab_session` on MSAL's requests to the sandbox, so the tracer of this browser sees the consent legs too. */
const sessionParameters = (config: PublicLabConfig) =>
  config.mode === 'sandbox' ? { extraQueryParameters: { [SESSION_PARAM]: getLabSessionId() } } : {};

export class OnBehalfOfElement extends HTMLElement {
  #config: PublicLabConfig | undefined;

  connectedCallback(): void {
    if (!firstConnection(this)) return;
    this.#config = labConfigOr(noConfigurationCard(this), 'server');
    if (!this.#config) return;
    part(this, 'run').addEventListener('click', () => void this.#run());
    part(this, 'consent').addEventListener('click', () => void this.#consent());
  }

  async #msal() {
    const { getLabMsal } = await import('../msal/publicClient.ts');
    const { pca } = await getLabMsal();
    return { pca, account: pca.getActiveAccount() ?? pca.getAllAccounts()[0] ?? null };
  }

  /** Token A: the SPA's access token for the Tasks API, from MSAL's cache or silently renewed. */
  async #tokenA(): Promise<string | undefined> {
    const config = this.#config as PublicLabConfig;
    const [{ pca, account }, { apiTokenRequest }] = await Promise.all([this.#msal(), import('../msal/msalConfig.ts')]);
    if (!account) return undefined;
    return (await pca.acquireTokenSilent({ ...apiTokenRequest(config), ...sessionParameters(config), account })).accessToken;
  }

  async #run(): Promise<void> {
    const config = this.#config as PublicLabConfig;
    const button = part<HTMLButtonElement>(this, 'run');
    renderError(part(this, 'error'), undefined);
    setBusy(button, true, 'Calling…');
    try {
      let token: string | undefined;
      try {
        token = await this.#tokenA();
      } catch (error) {
        this.#status(
          `MSAL could not get a token for the Tasks API: ${error instanceof Error ? error.message : String(error)}. Sign in again above.`,
        );
        return;
      }
      if (!token) {
        this.#status('Nobody is signed in: press Sign in in the sign-in widget above first.');
        return;
      }
      const url = `${config.apiOrigin}/api/me/profile`;
      this.#status('Calling the Tasks API; it calls the Profile API on your behalf…');
      let response: Response;
      try {
        response = await fetch(withLabSession(url), { headers: { Authorization: `Bearer ${token}` }, credentials: 'omit' });
      } catch {
        renderError(part(this, 'error'), {
          title: 'The Tasks API is not reachable',
          cause: `Nothing answered at ${config.apiOrigin}.`,
          fix: 'Start the lab with npm start, then try again.',
          known: false,
        });
        this.#status('The Tasks API did not answer.');
        return;
      }
      const answer = (await response.json().catch(() => ({ legs: [] }))) as MeProfileAnswer;
      this.#render(url, token, response.status, answer);
    } finally {
      setBusy(button, false, 'Calling…');
    }
  }

  /** Combined consent: one popup for the Tasks API's /.default; the consent page lists the Profile API permission too. */
  async #consent(): Promise<void> {
    const config = this.#config as PublicLabConfig;
    const button = part<HTMLButtonElement>(this, 'consent');
    setBusy(button, true);
    try {
      const { pca, account } = await this.#msal();
      const result = await pca.acquireTokenPopup({
        scopes: [combinedConsentScope(config.ids.apiAppIdUri)],
        ...sessionParameters(config),
        ...(account ? { account } : {}),
      });
      if (result.account) pca.setActiveAccount(result.account);
      part(this, 'consent-box').hidden = true;
      this.#status('Consent given for both apps. Calling again…');
      await this.#run();
    } catch (error) {
      this.#status(`Consent did not complete: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(button, false);
    }
  }

  #render(url: string, token: string, status: number, answer: MeProfileAnswer): void {
    const legs = describeRun({ url, shownToken: shortenToken(token) }, status, answer);
    part(this, 'legs').replaceChildren(
      ...legs.map((leg) =>
        h(
          'li',
          { 'data-step': leg.step, 'data-failed': leg.failed ? 'true' : undefined },
          h('p', {}, h('strong', {}, leg.title), ' ', h('code', {}, leg.line)),
          leg.detail === undefined ? '' : h('pre', { tabindex: '0', 'aria-label': leg.title }, JSON.stringify(leg.detail, null, 2)),
        ),
      ),
    );
    part(this, 'exchange').hidden = false;
    const incoming = decodeJwt(token).payload as Record<string, unknown>;
    const rows = compareClaims(incoming, tokenClaims(answer).downstream);
    part(this, 'compare').hidden = rows.length === 0;
    part(this, 'compare-rows').replaceChildren(
      ...rows.map((row) =>
        h(
          'tr',
          { 'data-claim': row.claim },
          h('th', { scope: 'row' }, h('code', {}, row.claim)),
          h('td', {}, row.incoming),
          h('td', {}, row.downstream),
          h('td', {}, row.same ? 'same' : 'differs'),
        ),
      ),
    );
    const consentNeeded = status === 403 && answer.error === 'consent_required';
    part(this, 'consent-box').hidden = !consentNeeded;
    part(this, 'result').dataset.status = String(status);
    if (status === 200) {
      this.#status(
        `200: the Tasks API returned your profile from the Profile API${answer.fromCache ? ' (token B from MSAL Node’s cache: no request to the tenant this time)' : ''}.`,
      );
    } else {
      renderError(part(this, 'error'), {
        code: answer.code,
        title: consentNeeded
          ? 'You have not consented to the Tasks API calling the Profile API for you'
          : `${status} ${answer.error ?? ''}`,
        cause: answer.error_description,
        fix: answer.fix,
        known: Boolean(answer.code),
      });
      this.#status(`${status} ${answer.error ?? ''}${answer.code ? ` (${answer.code})` : ''}.`);
    }
  }

  #status(text: string): void {
    part(this, 'status').textContent = text;
  }
}

export function defineOnBehalfOf(): void {
  if (!customElements.get('on-behalf-of-run')) customElements.define('on-behalf-of-run', OnBehalfOfElement);
}
