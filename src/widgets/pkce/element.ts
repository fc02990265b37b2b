/**
 * `<pkce-step-through>`: the DOM side of the PKCE step-through. Each button runs one real step;
 * every result shown comes from Web Crypto or from the tenant's own HTTP answer. Workshop mode can
 * drive it with `runNext()`.
 */

import { bridgeRedirectUri } from '../../config/authorityMetadata.ts';
import type { PublicLabConfig } from '../../config/lab.ts';
import { completeAuthorization, FLOW, redeemAuthorizationCode, startAuthorization } from '../../flows/auth-code-pkce/legs.ts';
import type { TokenEndpointAnswer } from '../../flows/auth-code-pkce/redeemCode.ts';
import { announceLeg } from '../../flows/browserLegs.ts';
import { parseEntraErrorBody } from '../../protocol/aadstsError.ts';
import { createCodeVerifier } from '../../protocol/pkce.ts';
import { shortenToken } from '../../protocol/redact.ts';
import { h, part, setBusy } from '../shared/dom.ts';
import { firstConnection, labConfigOr } from '../shared/labElement.ts';
import { AuthorizeError, authorizeInPopup, checkTenantBeforePopup, openAuthorizePopup } from './authorizeInPopup.ts';
import { challengeFromVerifier, deriveS256, toHex } from './s256Steps.ts';

type Method = 'S256' | 'plain';

function dl(rows: [string, string][]): HTMLDListElement {
  return h('dl', {}, ...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

function verdict(ok: boolean, text: string): HTMLParagraphElement {
  return h('p', { class: `lab-verdict lab-verdict--${ok ? 'ok' : 'fail'}` }, `${ok ? '✓ ' : '✗ '}${text}`);
}

/** A token response or error, shown without ever printing a whole token. */
export function describeTokenAnswer(answer: TokenEndpointAnswer): HTMLElement {
  const { status, body } = answer;
  if (status === 200 && typeof body.access_token === 'string') {
    const rows: [string, string][] = [['HTTP', '200 OK']];
    for (const name of ['token_type', 'scope', 'expires_in']) if (body[name] !== undefined) rows.push([name, String(body[name])]);
    for (const name of ['access_token', 'id_token', 'refresh_token']) {
      if (typeof body[name] === 'string') rows.push([name, shortenToken(body[name] as string)]);
    }
    return h('div', {}, verdict(true, 'The tenant accepted the verifier and issued tokens.'), dl(rows));
  }
  const error = parseEntraErrorBody(body);
  const rows: [string, string][] = [['HTTP', String(status)]];
  if (error.error) rows.push(['error', error.error]);
  if (error.code) rows.push(['code', error.code]);
  if (error.description) rows.push(['error_description', error.description]);
  return h(
    'div',
    { 'data-error-code': error.code ?? '', 'data-error': error.error ?? '' },
    verdict(false, `The tenant refused: ${error.error ?? `HTTP ${status}`}${error.code ? ` (${error.code})` : ''}.`),
    dl(rows),
  );
}

export class PkceStepThroughElement extends HTMLElement {
  #config?: PublicLabConfig;
  #verifier?: string;
  #method: Method = 'S256';
  #challenge?: string;
  #code?: string;
  #lastForm?: TokenEndpointAnswer['form'];

  connectedCallback(): void {
    if (!firstConnection(this)) return;
    this.#config = labConfigOr((message) => {
      this.#status(message);
      for (const button of this.querySelectorAll('button')) button.disabled = true;
    });
    if (!this.#config) return;
    part(this, 'generate').addEventListener('click', () => void this.generate());
    part(this, 'derive').addEventListener('click', () => void this.derive());
    part(this, 'authorize').addEventListener('click', () => void this.authorize());
    part(this, 'redeem').addEventListener('click', () => void this.redeem());
    part(this, 'reuse').addEventListener('click', () => void this.reuse());
    part(this, 'reset').addEventListener('click', () => this.reset());
    for (const radio of this.querySelectorAll<HTMLInputElement>('input[name="pkce-method"]')) {
      radio.addEventListener('change', () => {
        // A different method means a different challenge, and the code must be asked for again.
        if (this.#verifier) this.#invalidateFrom('challenge');
      });
    }
  }

  /** Runs the next step that is ready (workshop mode's → key). Returns false when nothing is left. */
  async runNext(): Promise<boolean> {
    for (const name of ['generate', 'derive', 'authorize', 'redeem', 'reuse']) {
      const button = part<HTMLButtonElement>(this, name);
      if (!button.disabled && !button.closest('li')?.dataset.state) {
        button.click();
        return true;
      }
    }
    return false;
  }

  /** Keyboard users continue where the next step waits (the result itself is announced by its live region). */
  #focus(name: string): void {
    part<HTMLButtonElement>(this, name).focus({ preventScroll: false });
  }

  #status(text: string): void {
    part(this, 'status').textContent = text;
  }

  #stepState(step: string, state: 'done' | 'failed' | undefined): void {
    const li = this.querySelector<HTMLElement>(`li[data-step="${step}"]`);
    if (!li) return;
    if (state) li.dataset.state = state;
    else delete li.dataset.state;
  }

  #enable(name: string, enabled: boolean): void {
    part<HTMLButtonElement>(this, name).disabled = !enabled;
  }

  #invalidateFrom(step: 'challenge' | 'authorize' | 'redeem'): void {
    const order = ['challenge', 'authorize', 'redeem', 'reuse'];
    for (const name of order.slice(order.indexOf(step))) {
      this.#stepState(name, undefined);
      part(this, `${name}-out`).replaceChildren();
    }
    if (step === 'challenge') this.#challenge = undefined;
    if (step !== 'redeem') this.#code = undefined;
    this.#lastForm = undefined;
    this.#enable('derive', Boolean(this.#verifier));
    this.#enable('authorize', Boolean(this.#challenge));
    this.#enable('redeem', Boolean(this.#code));
    this.#enable('reuse', false);
  }

  reset(): void {
    this.#verifier = undefined;
    this.#stepState('verifier', undefined);
    part(this, 'verifier-out').replaceChildren();
    this.#invalidateFrom('challenge');
    this.#status('Start again from step 1.');
    part<HTMLButtonElement>(this, 'generate').focus();
  }

  async generate(): Promise<void> {
    this.#verifier = createCodeVerifier();
    part(this, 'verifier-out').replaceChildren(
      dl([
        ['code_verifier', this.#verifier],
        ['length', `${this.#verifier.length} characters (RFC 7636 §4.1 allows 43–128)`],
      ]),
    );
    this.#stepState('verifier', 'done');
    this.#invalidateFrom('challenge');
    this.#focus('derive');
    announceLeg({ flow: FLOW, event: 'sign-in-click', request: { line: 'PKCE: new code_verifier created in the browser' } });
  }

  async derive(): Promise<void> {
    if (!this.#verifier) return;
    this.#method = (this.querySelector<HTMLInputElement>('input[name="pkce-method"]:checked')?.value as Method) ?? 'S256';
    this.#invalidateFrom('challenge');
    const out = part(this, 'challenge-out');
    if (this.#method === 'plain') {
      this.#challenge = this.#verifier;
      out.replaceChildren(
        dl([['code_challenge', this.#challenge]]),
        h(
          'p',
          {},
          'With plain, the challenge is the verifier itself. Anyone who sees the authorize URL (browser history, a proxy log) can redeem the code. RFC 7636 §4.2 allows plain only when S256 is impossible, and RFC 9700 (OAuth security BCP) says to use S256.',
        ),
      );
    } else {
      const steps = await deriveS256(this.#verifier);
      this.#challenge = steps.codeChallenge;
      out.replaceChildren(
        dl([
          ['ASCII(code_verifier)', `${steps.asciiOctets.length} octets`],
          ['SHA-256', toHex(steps.digest)],
          ['code_challenge', steps.codeChallenge],
        ]),
        h(
          'p',
          {},
          'BASE64URL(SHA256(ASCII(code_verifier))), without padding (RFC 7636 §4.2). A hash cannot be reversed: seeing it does not reveal the verifier.',
        ),
      );
    }
    this.#stepState('challenge', 'done');
    this.#enable('authorize', true);
    this.#focus('authorize');
  }

  async authorize(): Promise<void> {
    const config = this.#config;
    if (!config || !this.#challenge) return;
    const button = part<HTMLButtonElement>(this, 'authorize');
    const out = part(this, 'authorize-out');
    this.#invalidateFrom('authorize');
    let popup: Window;
    try {
      popup = openAuthorizePopup();
    } catch (error) {
      out.replaceChildren(verdict(false, (error as Error).message));
      return;
    }
    const { url, redirectUri } = startAuthorization(config, { codeChallenge: this.#challenge, codeChallengeMethod: this.#method });
    const shown = new URL(url);
    out.replaceChildren(
      dl([
        ['GET', `${shown.origin}${shown.pathname}`],
        ['code_challenge', this.#challenge],
        ['code_challenge_method', this.#method],
        ['redirect_uri', redirectUri],
      ]),
    );
    setBusy(button, true, 'Waiting for the sign-in window…');
    this.#status('Sign in in the popup window.');
    try {
      await checkTenantBeforePopup(config.tenant.discovery, popup);
      const authorization = completeAuthorization(await authorizeInPopup(popup, url), redirectUri);
      if (authorization.ok) {
        const { code } = authorization;
        this.#code = code;
        out.append(
          verdict(true, 'The tenant redirected back with a one-time code.'),
          dl([
            ['code', shortenToken(code)],
            ['state', 'matches the one sent'],
          ]),
        );
        this.#stepState('authorize', 'done');
        this.#enable('redeem', true);
        this.#focus('redeem');
        this.#status('Code received. Choose which verifier to send, then redeem it.');
      } else {
        const { error, description } = authorization;
        out.append(
          h(
            'div',
            { 'data-error': error },
            verdict(false, `The tenant refused the authorize request: ${error}.`),
            dl([['error_description', description]]),
          ),
        );
        this.#stepState('authorize', 'failed');
        this.#status(`The tenant answered ${error}.`);
      }
    } catch (error) {
      const message = error instanceof AuthorizeError ? error.message : `Sign-in failed: ${(error as Error).message}`;
      out.append(verdict(false, message));
      this.#stepState('authorize', 'failed');
      this.#status(message);
    } finally {
      setBusy(button, false, 'Waiting for the sign-in window…');
    }
  }

  #chosenVerifier(): { sent: string | undefined; label: string } {
    const choice = this.querySelector<HTMLInputElement>('input[name="pkce-send"]:checked')?.value ?? 'right';
    if (choice === 'other') return { sent: createCodeVerifier(), label: 'another verifier' };
    if (choice === 'none') return { sent: undefined, label: 'no verifier' };
    // With plain the challenge IS the verifier, so this copy from the URL works; with S256 it cannot.
    if (choice === 'seen') return { sent: this.#challenge, label: 'the challenge copied from the authorize URL' };
    return { sent: this.#verifier, label: 'the verifier from step 1' };
  }

  async #send(form: TokenEndpointAnswer['form'] | undefined, outName: string): Promise<TokenEndpointAnswer | undefined> {
    const config = this.#config;
    if (!config || !this.#code) return undefined;
    const out = part(this, outName);
    try {
      const codeVerifier = form ? form.code_verifier : this.#chosenVerifier().sent;
      const { answer } = await redeemAuthorizationCode(config, {
        code: this.#code,
        redirectUri: form?.redirect_uri ?? bridgeRedirectUri(config),
        ...(codeVerifier !== undefined ? { codeVerifier } : {}),
      });
      out.append(describeTokenAnswer(answer));
      return answer;
    } catch (error) {
      out.append(verdict(false, (error as Error).message));
      return undefined;
    }
  }

  async redeem(): Promise<void> {
    if (!this.#code || !this.#challenge) return;
    const button = part<HTMLButtonElement>(this, 'redeem');
    const out = part(this, 'redeem-out');
    this.#invalidateFrom('redeem');
    this.#enable('redeem', false);
    const { sent, label } = this.#chosenVerifier();
    const rows: [string, string][] = [['code_verifier sent', sent ?? '(none)']];
    if (sent) {
      const recomputed = await challengeFromVerifier(sent, this.#method);
      rows.push(
        [this.#method === 'S256' ? 'BASE64URL(SHA256(sent))' : 'sent (plain)', recomputed],
        ['challenge stored with the code', this.#challenge],
      );
      out.replaceChildren(
        h('p', {}, `What the tenant checks (RFC 7636 §4.6), with ${label}:`),
        dl(rows),
        h(
          'p',
          {},
          recomputed === this.#challenge ? 'They are equal, so the tenant should accept…' : 'They differ, so the tenant should refuse…',
        ),
      );
    } else {
      out.replaceChildren(
        h('p', {}, 'A challenge was sent at /authorize, so the tenant requires a code_verifier (RFC 7636 §4.5).'),
        dl(rows),
      );
    }
    setBusy(button, true, 'Redeeming…');
    const answer = await this.#send({ ...this.#formFor(sent) }, 'redeem-out');
    setBusy(button, false, 'Redeeming…');
    const ok = answer?.status === 200;
    this.#stepState('redeem', ok ? 'done' : 'failed');
    // Every attempt spends the code here (the tenant may or may not have consumed it); step 5 repeats this exact request.
    this.#lastForm = answer?.form;
    this.#enable('reuse', Boolean(answer));
    if (answer) this.#focus('reuse');
    this.#status(
      ok ? 'Tokens issued. Now try the same code a second time (step 5).' : 'The tenant refused the redemption. Start over, or try step 5.',
    );
  }

  #formFor(verifier: string | undefined): TokenEndpointAnswer['form'] {
    const form: TokenEndpointAnswer['form'] = { redirect_uri: this.#config ? bridgeRedirectUri(this.#config) : '' };
    if (verifier !== undefined) form.code_verifier = verifier;
    return form;
  }

  async reuse(): Promise<void> {
    if (!this.#lastForm) return;
    const button = part<HTMLButtonElement>(this, 'reuse');
    part(this, 'reuse-out').replaceChildren();
    setBusy(button, true, 'Redeeming again…');
    const answer = await this.#send(this.#lastForm, 'reuse-out');
    setBusy(button, false, 'Redeeming again…');
    this.#stepState('reuse', answer?.status === 200 ? 'failed' : 'done');
    this.#enable('reuse', false);
    this.#status(
      answer?.status === 200
        ? 'The tenant accepted the code twice: that would be a bug.'
        : 'The second redemption was refused, as it must be.',
    );
  }
}
