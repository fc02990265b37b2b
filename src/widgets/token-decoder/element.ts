/**
 * `<token-decoder>`: the DOM side of the token decoder. Decodes and explains locally, then checks
 * the signature against the issuer's keys; the token itself is never put in a request, a URL or
 * storage. Other widgets call `show(token, caption)` to display the tokens they obtained.
 */

import type { PublicLabConfig } from '../../config/lab.ts';
import { decodeJwt, JwtDecodeError, type JwtDecodeErrorCode } from '../../protocol/decodeJwt.ts';
import { type SignatureCheck, verifyJwtSignature } from '../../protocol/verifyJwtSignature.ts';
import { readLabConfig } from '../lab-config/readLabConfig.ts';
import { h, inlineCode, part } from '../shared/dom.ts';
import { firstConnection } from '../shared/labElement.ts';
import { readScriptJson } from '../shared/scriptJson.ts';
import { buildDecoderView, type ClaimReference, type ClaimRow, KIND_LABELS } from './decoderView.ts';

/** The headline of a decoding problem, where "Not a JWT" would be wrong. */
const PROBLEM_LABEL: Partial<Record<JwtDecodeErrorCode, string>> = {
  ERR_JWE_NOT_DECODABLE: 'Encrypted token (JWE). ',
  ERR_JWT_TOO_LARGE: 'Too large for a token. ',
};

import { buildShareLink, parseShareFragment } from './shareLink.ts';

function signatureOptions(config: PublicLabConfig | undefined) {
  if (!config) return {};
  const authorityOrigin = new URL(config.tenant.authority).origin;
  const transportOrigin = new URL(config.tenant.discovery).origin;
  return {
    pinned: authorityOrigin === transportOrigin ? [] : [{ authorityOrigin, transportOrigin }],
    trustedOrigins: [transportOrigin],
  };
}

const SIGNATURE_LABEL: Record<SignatureCheck['status'], string> = {
  valid: 'Signature valid',
  invalid: 'Signature invalid',
  'not-verifiable': 'Signature not verifiable',
  unreachable: 'Signature not checked',
};

export class TokenDecoderElement extends HTMLElement {
  #reference: ClaimReference[] = [];
  #run = 0;

  connectedCallback(): void {
    if (!firstConnection(this)) return;
    this.#reference =
      readScriptJson<ClaimReference[]>(this, 'data-claims-reference') ?? readScriptJson(document, 'data-claims-reference') ?? [];
    const form = this.querySelector('form');
    form?.addEventListener('submit', (event) => {
      event.preventDefault();
      const input = part<HTMLTextAreaElement>(this, 'input');
      void this.show(input.value);
    });
    this.querySelector('[data-part="clear"]')?.addEventListener('click', () => this.clear());
    part(this, 'share-button').addEventListener('click', () => void this.#copyShareLink());
    if (form) {
      const openShared = () => {
        const shared = parseShareFragment(location.hash);
        if (shared) this.#showShared(shared.kind, shared.claims);
      };
      openShared();
      // A share link opened on this page already changes only the fragment: no reload.
      window.addEventListener('hashchange', openShared);
    }
  }

  clear(): void {
    this.#run++;
    const input = this.querySelector<HTMLTextAreaElement>('[data-part="input"]');
    if (input) input.value = '';
    part(this, 'result').hidden = true;
    this.#status('');
    input?.focus();
  }

  /**
   * Decodes `input` and shows it; `caption` names where the token came from. A token the lab hands
   * over without its signature (a client assertion is a credential) comes with `signatureRemoved`,
   * the sentence shown instead of a signature check.
   */
  async show(input: string, caption?: string, options: { signatureRemoved?: string } = {}): Promise<void> {
    const run = ++this.#run;
    const result = part(this, 'result');
    const problem = part(this, 'problem');
    problem.replaceChildren();
    problem.hidden = true;
    let decoded: ReturnType<typeof decodeJwt>;
    try {
      decoded = decodeJwt(input);
    } catch (error) {
      result.hidden = true;
      const message = error instanceof JwtDecodeError ? error.message : 'This input could not be decoded.';
      problem.append(
        h('strong', {}, error instanceof JwtDecodeError ? (PROBLEM_LABEL[error.code] ?? 'Not a JWT. ') : 'Not a JWT. '),
        message,
      );
      problem.hidden = false;
      this.#status(message);
      return;
    }
    const view = buildDecoderView(decoded.header, decoded.payload, this.#reference, Date.now());
    part(this, 'caption').textContent = caption ?? 'Decoded token';
    part(this, 'kind').replaceChildren(h('strong', {}, view.kindLabel), ` — ${view.kind.because}`);
    const lifetime = part(this, 'lifetime');
    lifetime.textContent = view.lifetimeProblem ?? '';
    lifetime.hidden = !view.lifetimeProblem;
    part(this, 'encoded').replaceChildren(
      h('span', { class: 'seg seg-header' }, decoded.segments.header),
      h('span', { class: 'dot' }, '.'),
      h('span', { class: 'seg seg-payload' }, decoded.segments.payload),
      h('span', { class: 'dot' }, '.'),
      h('span', { class: 'seg seg-signature' }, decoded.segments.signature || '(empty)'),
    );
    part(this, 'header-rows').replaceChildren(...view.header.map((row) => this.#row(row)));
    part(this, 'payload-rows').replaceChildren(...view.payload.map((row) => this.#row(row)));
    part(this, 'shared-note').hidden = true;
    part(this, 'share').hidden = false;
    part(this, 'tables').hidden = false;
    part(this, 'encoded-block').hidden = false;
    result.dataset.kind = view.kind.kind;
    result.hidden = false;
    this.#shareState = { kind: view.kind.kind, claims: view.payload.map((row) => row.name) };
    part<HTMLInputElement>(this, 'share-link').value = '';

    const signature = part(this, 'signature');
    if (options.signatureRemoved) {
      signature.dataset.status = 'removed';
      signature.replaceChildren(h('p', {}, h('strong', {}, 'Signature: '), options.signatureRemoved));
      this.#status(`Decoded: ${view.kindLabel}. ${options.signatureRemoved}`);
      return;
    }
    signature.dataset.status = 'checking';
    signature.replaceChildren(h('p', {}, h('strong', {}, 'Signature: '), 'checking against the issuer’s published keys…'));
    this.#status(`Decoded: ${view.kindLabel}. ${view.lifetimeProblem ?? ''} Checking the signature…`);

    let config: PublicLabConfig | undefined;
    try {
      config = readLabConfig();
    } catch {
      config = undefined;
    }
    const check = await verifyJwtSignature(decoded.token, decoded.header, decoded.payload, signatureOptions(config));
    if (run !== this.#run) return; // a newer token replaced this one while keys were loading
    this.#showSignature(check);
    this.#status(`Decoded: ${view.kindLabel}. ${view.lifetimeProblem ?? ''} ${SIGNATURE_LABEL[check.status]}.`);
  }

  #shareState: { kind: ReturnType<typeof buildDecoderView>['kind']['kind']; claims: string[] } | undefined;

  #row(row: ClaimRow): HTMLTableRowElement {
    const meaning = row.reference
      ? [
          h('p', { class: 'meaning' }, ...inlineCode(row.reference.description)),
          row.reference.validate
            ? h('p', { class: 'validate' }, h('strong', {}, 'An API should: '), ...inlineCode(row.reference.validate))
            : null,
        ]
      : [h('p', { class: 'meaning unknown' }, 'Not in the claims reference.')];
    return h(
      'tr',
      { 'data-claim': row.name },
      h('th', { scope: 'row' }, h('code', {}, row.name), row.reference ? h('span', { class: 'title' }, row.reference.title) : null),
      h(
        'td',
        {},
        h('code', { class: 'value' }, row.value),
        row.time
          ? h('span', { class: `time time-${row.time.status}`, 'data-time': row.time.status }, `${row.time.label} · ${row.time.iso}`)
          : null,
        ...meaning,
      ),
    );
  }

  #showSignature(check: SignatureCheck): void {
    const signature = part(this, 'signature');
    signature.dataset.status = check.status;
    const how = [
      check.alg ? h('li', {}, 'Algorithm: ', h('code', {}, check.alg)) : null,
      check.kid ? h('li', {}, 'Key ID (kid): ', h('code', {}, check.kid)) : null,
      check.discoveryUrl ? h('li', {}, 'Discovery document: ', h('code', {}, check.discoveryUrl)) : null,
      check.jwksUri ? h('li', {}, 'Signing keys (JWKS): ', h('code', {}, check.jwksUri)) : null,
    ].filter(Boolean) as HTMLElement[];
    signature.replaceChildren(
      h('p', {}, h('strong', { class: 'sig-label' }, `${SIGNATURE_LABEL[check.status]}. `), check.message),
      how.length ? h('ul', { class: 'how' }, ...how) : '',
    );
  }

  #showShared(kind: keyof typeof KIND_LABELS, claims: string[]): void {
    const view = buildDecoderView({}, Object.fromEntries(claims.map((name) => [name, '…'])), this.#reference, Date.now());
    part(this, 'caption').textContent = 'Shared token (claim names only)';
    part(this, 'kind').replaceChildren(h('strong', {}, KIND_LABELS[kind]));
    part(this, 'lifetime').hidden = true;
    part(this, 'encoded-block').hidden = true;
    part(this, 'header-rows').replaceChildren();
    part(this, 'payload-rows').replaceChildren(...view.payload.map((row) => this.#row({ ...row, value: '(value not shared)' })));
    part(this, 'signature').replaceChildren(
      h('p', {}, 'A share link carries no token, so there is no signature to check. Paste your own token above.'),
    );
    part(this, 'shared-note').hidden = false;
    part(this, 'share').hidden = true;
    part(this, 'result').hidden = false;
  }

  async #copyShareLink(): Promise<void> {
    if (!this.#shareState) return;
    const link = buildShareLink(location.href, this.#shareState.kind, this.#shareState.claims);
    const field = part<HTMLInputElement>(this, 'share-link');
    field.value = link;
    field.select();
    try {
      await navigator.clipboard.writeText(link);
      this.#status('Share link copied. It lists the claim names only: no token, no values.');
    } catch {
      this.#status('Share link ready in the field below; copy it from there. It lists the claim names only.');
    }
  }

  #status(text: string): void {
    part(this, 'status').textContent = text.replace(/\s+/g, ' ').trim();
  }
}

export function defineTokenDecoder(): void {
  if (!customElements.get('token-decoder')) customElements.define('token-decoder', TokenDecoderElement);
}
