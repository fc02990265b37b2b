/**
 * `<sign-in-widget>`: Authorization Code + PKCE with the real MSAL.js. Sign in (redirect or
 * popup), show the account, get an access token for the sample API silently (falling back to a
 * popup when the tenant needs the user), force a refresh to show the refresh-token grant, sign out.
 * Tokens are shown through the token decoder; MSAL's cache and token calls are listed, never a secret.
 */

import { type AccountInfo, type AuthenticationResult, InteractionRequiredAuthError } from '@azure/msal-browser';
import type { PublicLabConfig } from '../../config/lab.ts';
import { SESSION_PARAM } from '../../contracts/protocolEvents.ts';
import { getLabSessionId } from '../../flows/labSession.ts';
import { assertTenantReachable } from '../../flows/tenantReachable.ts';
import { apiTokenRequest, loginRequest } from '../msal/msalConfig.ts';
import { getLabMsal, type LabMsal } from '../msal/publicClient.ts';
import { onTokenCall, type TokenCallRecord } from '../msal/recordingNetwork.ts';
import { h, part, setBusy } from '../shared/dom.ts';
import { renderError } from '../shared/errorCard.ts';
import type { CatalogEntry } from '../shared/errorCatalog.ts';
import { firstConnection, labConfigOr } from '../shared/labElement.ts';
import { readScriptJson } from '../shared/scriptJson.ts';
import type { TokenDecoderElement } from '../token-decoder/element.ts';
import { summarizeMsalCache } from './cacheView.ts';
import { explainSignInError } from './explainSignInError.ts';

/**
 * `lab_session` on MSAL's requests to the sandbox (it reaches /authorize and /token), so the flow
 * tracer of this browser sees the legs. A real Entra tenant never receives it.
 */
function sessionParameters(config: PublicLabConfig): { extraQueryParameters?: Record<string, string> } {
  return config.mode === 'sandbox' ? { extraQueryParameters: { [SESSION_PARAM]: getLabSessionId() } } : {};
}

/** Fired on `document` when the signed-in account or its tokens change; the API caller listens. */
export const ACCOUNT_EVENT = 'lab:account-changed';

type Action = 'login-redirect' | 'login-popup' | 'token' | 'refresh' | 'logout';

const GRANT_LABEL: Record<string, string> = {
  authorization_code: 'code redeemed for tokens (PKCE: code_verifier sent)',
  refresh_token: 'refresh-token grant: new tokens without the user',
};

export class SignInElement extends HTMLElement {
  #msal: LabMsal | undefined;
  #config: PublicLabConfig | undefined;
  #catalog: CatalogEntry[] = [];
  #tokens: { id?: string; access?: string } = {};
  /** Settles when MSAL is initialized (or failed to): a press that came before waits for it (lazyElement.ts replays it). */
  #started: Promise<void> = Promise.resolve();

  connectedCallback(): void {
    if (!firstConnection(this)) return;
    this.#started = this.#start();
  }

  async #start(): Promise<void> {
    this.#catalog = readScriptJson<CatalogEntry[]>(this, 'data-error-catalog') ?? [];
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
      button.addEventListener('click', () => void this.#act(button.dataset.action as Action, button));
    }
    for (const radio of this.querySelectorAll<HTMLInputElement>('input[name$="-token-choice"]')) {
      radio.addEventListener('change', () => this.#showToken());
    }
    onTokenCall((record) => this.#logCall(record));
    const config = labConfigOr((message) => this.#fail(new Error(message)));
    if (!config) return; // no lab and no tenant of the reader's: the <NoLab> card says so
    this.#config = config;
    this.#status('Loading MSAL…');
    try {
      this.#msal = await getLabMsal();
      const result = await this.#msal.redirectResult;
      if (result) {
        this.#remember(result);
        this.#status(
          `Signed in as ${result.account?.username ?? 'a user'} (redirect). The ID token and an access token for the API came back.`,
        );
      } else {
        this.#status(this.#account() ? `Signed in as ${this.#account()?.username}.` : 'Not signed in.');
        if (this.#account()) await this.#acquire(false, true);
      }
    } catch (error) {
      this.#fail(error);
    }
    this.#render();
  }

  #account(): AccountInfo | null {
    const pca = this.#msal?.pca;
    return pca ? (pca.getActiveAccount() ?? pca.getAllAccounts()[0] ?? null) : null;
  }

  /** Sign-in request: the API scopes, and `prompt=consent` when the reader asked to see the consent page again. */
  #loginRequest(config: PublicLabConfig) {
    const askConsent = part<HTMLInputElement>(this, 'prompt-consent').checked;
    return { ...loginRequest(config), ...sessionParameters(config), ...(askConsent ? { prompt: 'consent' } : {}) };
  }

  async #act(action: Action, button: HTMLButtonElement): Promise<void> {
    await this.#started.catch(() => {}); // a start that failed has said why in the widget
    if (!this.#msal || !this.#config) return;
    const { pca } = this.#msal;
    renderError(part(this, 'error'), undefined);
    setBusy(button, true);
    try {
      if (action === 'login-redirect' || action === 'login-popup') {
        // A dead tenant would leave the reader on the browser's own error page: check first, explain here.
        this.#status('Checking that the tenant answers…');
        await assertTenantReachable(this.#config.tenant.discovery);
      }
      if (action === 'login-redirect') {
        this.#status('Going to the tenant’s sign-in page…');
        await pca.loginRedirect(this.#loginRequest(this.#config));
        return; // the page navigates away
      }
      if (action === 'login-popup') {
        this.#status('Signing in in a popup…');
        const result = await pca.loginPopup(this.#loginRequest(this.#config));
        this.#remember(result);
        this.#status(`Signed in as ${result.account.username} (popup).`);
      } else if (action === 'token') {
        await this.#acquire(false);
      } else if (action === 'refresh') {
        await this.#acquire(true);
      } else if (action === 'logout') {
        const account = this.#account();
        this.#status('Signing out at the tenant…');
        await pca.logoutRedirect({ account });
        return;
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      setBusy(button, false);
      this.#render();
    }
  }

  /** acquireTokenSilent, falling back to a popup when the tenant needs the user (interaction_required). */
  async #acquire(forceRefresh: boolean, quiet = false): Promise<void> {
    if (!this.#msal || !this.#config) return;
    const account = this.#account();
    if (!account) {
      this.#status('Nobody is signed in yet: press Sign in first.');
      return;
    }
    const request = { ...apiTokenRequest(this.#config, forceRefresh), ...sessionParameters(this.#config), account };
    if (!quiet)
      this.#status(forceRefresh ? 'Asking the tenant for fresh tokens with the refresh token…' : 'Getting an access token for the API…');
    let result: AuthenticationResult;
    try {
      result = await this.#msal.pca.acquireTokenSilent(request);
    } catch (error) {
      if (!(error instanceof InteractionRequiredAuthError)) throw error;
      this.#status(`Silent request refused (${error.errorCode}): the tenant needs you. Opening a popup…`);
      result = await this.#msal.pca.acquireTokenPopup(request);
    }
    this.#remember(result);
    if (quiet) return;
    this.#status(
      result.fromCache
        ? 'Access token served from MSAL’s cache: still valid, so no request was made. Press Force refresh to see the refresh-token grant.'
        : forceRefresh
          ? 'New access token from the refresh-token grant (see the token requests below).'
          : 'New access token from the tenant.',
    );
  }

  #remember(result: AuthenticationResult): void {
    if (result.account) this.#msal?.pca.setActiveAccount(result.account);
    if (result.idToken) this.#tokens.id = result.idToken;
    if (result.accessToken) this.#tokens.access = result.accessToken;
    document.dispatchEvent(new CustomEvent(ACCOUNT_EVENT, { detail: { username: result.account?.username } }));
  }

  #render(): void {
    const account = this.#account();
    const signedIn = Boolean(account);
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
      const needsAccount = ['token', 'refresh', 'logout'].includes(button.dataset.action ?? '');
      if (button.getAttribute('aria-busy') !== 'true') button.disabled = needsAccount ? !signedIn : !this.#msal;
    }
    part(this, 'who').textContent = account ? `Signed in as ${account.name ?? ''} (${account.username})` : 'Not signed in.';
    const details = part(this, 'account');
    details.hidden = !account;
    if (account) {
      const claims = (account.idTokenClaims ?? {}) as Record<string, unknown>;
      details.replaceChildren(
        ...(
          [
            ['Name', account.name ?? ''],
            ['Username', account.username],
            ['Object ID (oid)', String(claims.oid ?? account.localAccountId)],
            ['Tenant ID (tid)', account.tenantId],
            ['Home account ID', account.homeAccountId],
          ] as const
        ).flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, h('code', {}, value))]),
      );
    }
    part(this, 'tokens').hidden = !this.#tokens.id && !this.#tokens.access;
    this.#showToken();
    this.#renderCache();
  }

  #showToken(): void {
    const choice = this.querySelector<HTMLInputElement>('input[name$="-token-choice"]:checked')?.value ?? 'access';
    const token = choice === 'id' ? this.#tokens.id : this.#tokens.access;
    const decoder = this.querySelector<TokenDecoderElement>('token-decoder');
    if (!token || !decoder || typeof decoder.show !== 'function') return;
    if (decoder.dataset.shown === `${choice}:${token.slice(-16)}`) return;
    decoder.dataset.shown = `${choice}:${token.slice(-16)}`;
    void decoder.show(token, choice === 'id' ? 'ID token (for the app: who signed in)' : 'Access token (for the API: what the app may do)');
  }

  #renderCache(): void {
    const entries: [string, string][] = [];
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (key) entries.push([key, sessionStorage.getItem(key) ?? '']);
    }
    const rows = summarizeMsalCache(entries, Date.now());
    const body = part(this, 'cache-rows');
    body.replaceChildren(
      ...(rows.length
        ? rows.map((row) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, row.kind),
              h('td', {}, row.details),
              h('td', {}, row.secret ? h('code', {}, row.secret) : ''),
            ),
          )
        : [h('tr', {}, h('td', { colspan: '3' }, 'Empty: nobody is signed in.'))]),
    );
  }

  #logCall(record: TokenCallRecord): void {
    const list = part(this, 'calls');
    list.querySelector('[data-empty]')?.remove();
    const label = GRANT_LABEL[record.grantType] ?? record.grantType;
    list.append(
      h(
        'li',
        { 'data-grant': record.grantType, 'data-status': String(record.status) },
        h('code', {}, `POST /token grant_type=${record.grantType}`),
        ` → ${record.status}: ${record.error ? `${record.error}` : label}`,
        h('span', { class: 'fields' }, `sent: ${record.sentFields.join(', ')}; received: ${record.receivedFields.join(', ')}`),
      ),
    );
  }

  #fail(error: unknown): void {
    const explained = explainSignInError(this.#catalog, error);
    renderError(part(this, 'error'), explained);
    this.#status(`${explained.code ? `${explained.code}: ` : ''}${explained.title}.`);
  }

  #status(text: string): void {
    part(this, 'status').textContent = text;
  }
}

export function defineSignIn(): void {
  if (!customElements.get('sign-in-widget')) customElements.define('sign-in-widget', SignInElement);
}
