/**
 * `<tamper-lab>`: the DOM side of the tamper lab. Gets a real token (sign-in popup or paste), lets
 * the reader edit it, builds the forged token with `tamper.ts`, and shows the sample API's verdict
 * step by step. Tokens live in this element only; they are sent to the lab's API and nowhere else.
 */

import type { PublicLabConfig } from '../../config/lab.ts';
import type { ApiEndpoint } from '../../contracts/api.ts';
import { decodeJwt, JwtDecodeError } from '../../protocol/decodeJwt.ts';
import { withAuthorizePopup } from '../pkce/authorizeInPopup.ts';
import { signInWithPkce } from '../pkce/signInWithPkce.ts';
import { h, part, setBusy } from '../shared/dom.ts';
import { firstConnection, labConfigOr } from '../shared/labElement.ts';
import { readScriptJson } from '../shared/scriptJson.ts';
import { type Explanation, explainToken, failedCodes } from './explain.ts';
import { findPreset, type PresetExpectation } from './presets.ts';
import {
  type AttackerKey,
  assembleToken,
  generateAttackerKey,
  hmacSecretFromJwk,
  listChanges,
  parseJsonObject,
  type SignatureMode,
  splitToken,
  type TokenParts,
} from './tamper.ts';

interface PresetInfo {
  id: string;
  label: string;
  explain: string;
  defense: string;
  expected: PresetExpectation;
}

const ID_TOKEN_PRESET: PresetInfo = {
  id: 'id-token',
  label: 'Send the ID token instead',
  explain:
    'Sends the real, correctly signed ID token to the API instead of the access token. Its audience is the client app (the SPA), not the API: it says who signed in, to the app, and is not a permission to call anything.',
  defense:
    'The signature is valid, but the audience check refuses it (IDX10214): an API accepts only tokens whose aud is its own client ID.',
  expected: { first: 'IDX10214' },
};

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export class TamperLabElement extends HTMLElement {
  #config?: PublicLabConfig;
  #access?: TokenParts;
  #idToken?: TokenParts;
  /** The token the edits apply to: the access token, or the ID token for that preset. */
  #base?: TokenParts;
  #preset?: PresetInfo;
  #attackerKey?: Promise<AttackerKey>;
  #presets = new Map<string, PresetInfo>();

  connectedCallback(): void {
    if (!firstConnection(this)) return;
    for (const preset of readScriptJson<PresetInfo[]>(this, 'data-tamper-presets') ?? []) this.#presets.set(preset.id, preset);
    this.#presets.set(ID_TOKEN_PRESET.id, ID_TOKEN_PRESET);
    this.#config = labConfigOr((message) => {
      part(this, 'source-status').textContent = message;
      part<HTMLButtonElement>(this, 'get-token').disabled = true;
    }, 'server');
    part(this, 'get-token').addEventListener('click', () => void this.getToken());
    part(this, 'use-pasted').addEventListener('click', () => this.#usePasted());
    part(this, 'send').addEventListener('click', () => void this.send());
    for (const button of this.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
      button.addEventListener('click', () => this.applyPreset(button.dataset.preset as string));
    }
    for (const name of ['header', 'payload']) {
      part(this, name).addEventListener('input', () => this.#clearPreset());
    }
    for (const radio of this.querySelectorAll<HTMLInputElement>('input[name="tamper-signature"]')) {
      radio.addEventListener('change', () => this.#clearPreset());
    }
  }

  async getToken(): Promise<void> {
    const config = this.#config;
    if (!config) return;
    const button = part<HTMLButtonElement>(this, 'get-token');
    const status = part(this, 'source-status');
    await withAuthorizePopup(button, status, { busy: 'Signing in…', prompt: 'Sign in in the popup window.' }, async (popup) => {
      try {
        const tokens = await signInWithPkce(config, popup);
        this.#load(tokens.accessToken, tokens.idToken);
      } catch (error) {
        status.textContent = `No token: ${(error as Error).message}`;
      }
    });
  }

  #usePasted(): void {
    const text = part<HTMLTextAreaElement>(this, 'paste').value;
    try {
      decodeJwt(text);
      this.#load(text.trim().replace(/^bearer\s+/i, ''));
    } catch (error) {
      part(this, 'source-status').textContent =
        error instanceof JwtDecodeError ? error.message : `Not a token: ${(error as Error).message}`;
    }
  }

  /** Loads a token to start from (other widgets and workshop mode may call this too). */
  load(accessToken: string, idToken?: string): void {
    this.#load(accessToken, idToken);
  }

  #load(accessToken: string, idToken?: string): void {
    this.#access = splitToken(accessToken);
    this.#idToken = idToken ? splitToken(idToken) : undefined;
    const who = this.#access.payload.preferred_username ?? this.#access.payload.azp ?? 'unknown caller';
    part(this, 'source-status').textContent = `Token loaded: aud ${show(this.#access.payload.aud)}, for ${show(who)}. Pick an attack.`;
    part<HTMLFieldSetElement>(this, 'presets').disabled = false;
    part<HTMLFieldSetElement>(this, 'signature').disabled = false;
    for (const name of ['header', 'payload', 'send']) (part(this, name) as HTMLTextAreaElement | HTMLButtonElement).disabled = false;
    const idButton = this.querySelector<HTMLButtonElement>('[data-preset="id-token"]');
    if (idButton) idButton.hidden = !this.#idToken;
    this.applyPreset('untampered');
  }

  #fill(parts: TokenParts, header: Record<string, unknown>, payload: Record<string, unknown>, signature: SignatureMode): void {
    this.#base = parts;
    part<HTMLTextAreaElement>(this, 'header').value = JSON.stringify(header, null, 2);
    part<HTMLTextAreaElement>(this, 'payload').value = JSON.stringify(payload, null, 2);
    const radio = this.querySelector<HTMLInputElement>(`input[name="tamper-signature"][value="${signature}"]`);
    if (radio) radio.checked = true;
    this.#showChanges();
  }

  applyPreset(id: string): void {
    if (!this.#access) return;
    const info = this.#presets.get(id);
    if (id === 'id-token') {
      if (!this.#idToken) return;
      this.#fill(this.#idToken, this.#idToken.header, this.#idToken.payload, 'keep');
    } else {
      const preset = findPreset(id);
      if (!preset) return;
      const edit = preset.apply(this.#access, Math.floor(Date.now() / 1000));
      this.#fill(this.#access, edit.header, edit.payload, edit.signature);
    }
    this.#preset = info;
    for (const button of this.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
      button.setAttribute('aria-pressed', String(button.dataset.preset === id));
    }
    part(this, 'preset-explain').textContent = info ? info.explain : '';
    this.#clearResult();
  }

  #clearResult(): void {
    const result = part(this, 'result');
    result.replaceChildren();
    delete result.dataset.verdict;
    delete result.dataset.firstCode;
    delete result.dataset.failedCodes;
  }

  #clearPreset(): void {
    if (!this.#preset) {
      this.#showChanges();
      return;
    }
    this.#preset = undefined;
    for (const button of this.querySelectorAll<HTMLButtonElement>('[data-preset]')) button.setAttribute('aria-pressed', 'false');
    part(this, 'preset-explain').textContent = 'Your own edit: send it to see what the API says.';
    this.#showChanges();
  }

  #showChanges(): void {
    const base = this.#base;
    const out = part(this, 'changes');
    if (!base) return;
    try {
      const header = parseJsonObject(part<HTMLTextAreaElement>(this, 'header').value, 'header');
      const payload = parseJsonObject(part<HTMLTextAreaElement>(this, 'payload').value, 'payload');
      const changes = listChanges(base, { header, payload });
      out.textContent = changes.length
        ? `Changed: ${changes.map((c) => `${c.part === 'header' ? 'header.' : ''}${c.name} ${c.after === undefined ? '(removed)' : `→ ${show(c.after)}`}`).join('; ')}`
        : 'No change to the header or claims.';
    } catch (error) {
      out.textContent = (error as Error).message;
    }
  }

  /** The tenant's public signing key (by kid, else the first), fetched from its JWKS like anyone could. */
  async #publicKeyAsSecret(config: PublicLabConfig, kid: unknown): Promise<Uint8Array> {
    let keys: Record<string, unknown>[];
    try {
      const response = await fetch(config.tenant.jwks);
      keys = ((await response.json()) as { keys?: Record<string, unknown>[] }).keys ?? [];
    } catch (error) {
      throw new Error(
        `The tenant’s JWKS at ${config.tenant.jwks} could not be read (${(error as Error).message}). Is the lab running (npm start)?`,
      );
    }
    const jwk = keys.find((key) => key.kid === kid) ?? keys[0];
    if (!jwk) throw new Error('The tenant’s JWKS lists no key.');
    return hmacSecretFromJwk(jwk);
  }

  #signatureMode(): SignatureMode {
    return (this.querySelector<HTMLInputElement>('input[name="tamper-signature"]:checked')?.value as SignatureMode) ?? 'keep';
  }

  async send(): Promise<void> {
    const config = this.#config;
    const base = this.#base;
    if (!config || !base) return;
    const button = part<HTMLButtonElement>(this, 'send');
    const result = part(this, 'result');
    const preset = this.#preset;
    let token: string;
    try {
      const header = parseJsonObject(part<HTMLTextAreaElement>(this, 'header').value, 'header');
      const payload = parseJsonObject(part<HTMLTextAreaElement>(this, 'payload').value, 'payload');
      const signature = this.#signatureMode();
      // The attacker's key pair is generated once per page, in this browser; its public key is in no JWKS.
      if (signature === 'attacker') this.#attackerKey ??= generateAttackerKey();
      const hmacSecret = signature === 'hmac-public-key' ? await this.#publicKeyAsSecret(config, header.kid) : undefined;
      token = await assembleToken(
        base,
        { header, payload, signature },
        signature === 'attacker' ? await this.#attackerKey : undefined,
        hmacSecret,
      );
    } catch (error) {
      result.replaceChildren(h('p', { class: 'lab-verdict lab-verdict--fail' }, (error as Error).message));
      return;
    }
    const endpoint = part<HTMLSelectElement>(this, 'endpoint').value as ApiEndpoint;
    this.#clearResult();
    setBusy(button, true, 'Asking the API…');
    try {
      const explanation = await explainToken(config.apiOrigin, token, endpoint);
      result.replaceChildren(this.#render(explanation, preset));
    } catch (error) {
      result.replaceChildren(h('p', { class: 'lab-verdict lab-verdict--fail' }, (error as Error).message));
      delete result.dataset.verdict;
    } finally {
      setBusy(button, false, 'Asking the API…');
    }
  }

  #render(explanation: Explanation, preset: PresetInfo | undefined): HTMLElement {
    const result = part(this, 'result');
    const codes = failedCodes(explanation);
    const first = explanation.problem;
    result.dataset.verdict = explanation.verdict;
    result.dataset.firstCode = first?.code ?? (explanation.verdict === 'accepted' ? 'accepted' : '');
    result.dataset.failedCodes = codes.join(' ');
    const box = h('div', {});
    if (explanation.verdict === 'accepted') {
      box.append(
        h(
          'p',
          { class: 'lab-verdict lab-verdict--ok' },
          `✓ Accepted: the API would answer ${explanation.status} for ${explanation.endpoint ?? 'this token'}.`,
        ),
      );
    } else {
      box.append(
        h(
          'p',
          { class: 'lab-verdict lab-verdict--fail' },
          `✗ Refused: ${explanation.status} ${first?.error ?? ''}${first?.code ? `, ${first.code}` : ''} at the ${first?.step ?? ''} check.`,
        ),
      );
      if (first) {
        box.append(
          h(
            'div',
            { class: 'lab-tamper__reason' },
            h('p', {}, h('strong', {}, first.code ?? first.error), ' ', first.description),
            h('p', {}, h('strong', {}, 'Fix: '), first.fix),
          ),
        );
      }
    }
    if (preset) {
      const expected = preset.expected.first;
      const actual = explanation.verdict === 'accepted' ? 'accepted' : first?.code;
      const alsoOk = (preset.expected.alsoFails ?? []).every((code) => codes.includes(code));
      const asExpected = actual === expected && alsoOk;
      box.append(
        h(
          'p',
          {},
          h('strong', {}, 'What a correct API does: '),
          preset.defense,
          ` ${asExpected ? '(The sample API did exactly that.)' : `(Expected ${expected}${preset.expected.alsoFails ? ` and ${preset.expected.alsoFails.join(', ')}` : ''}; the API answered ${actual ?? 'something else'}.)`}`,
        ),
      );
    }
    const rows = explanation.steps.map((step) =>
      h(
        'tr',
        { 'data-step': step.step },
        h('th', { scope: 'row' }, step.step),
        h('td', { 'data-status': step.status }, step.status === 'pass' ? '✓ pass' : step.status === 'fail' ? '✗ fail' : '– skipped'),
        h('td', {}, step.problem?.code ? `${step.problem.code}: ${step.summary}` : step.summary),
      ),
    );
    box.append(
      h(
        'table',
        {},
        h('caption', { class: 'sr-only' }, 'Every validation step the API ran'),
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col' }, 'Check'), h('th', { scope: 'col' }, 'Result'), h('th', { scope: 'col' }, 'Details')),
        ),
        h('tbody', {}, ...rows),
      ),
    );
    return box;
  }
}
