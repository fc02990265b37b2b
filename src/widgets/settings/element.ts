/**
 * `<lab-settings>`: the settings page. A form for the public identifiers of the user's own tenant
 * (saved to localStorage only, never a secret), a share link that carries them, what the widgets
 * use once they apply, and "Check my setup" (./setupCheckRunner.ts), which walks the current config
 * step by step.
 */

import { ENTRA_PUBLIC_CLOUD, type PublicLabConfig } from '../../config/lab.ts';
import { type AuthorityChoice, authorityChoices, buildTenant } from '../lab-config/browserSettings.ts';
import { readBuiltLabConfig, readLabConfig } from '../lab-config/readLabConfig.ts';
import { type BrowserSettings, readBrowserSettings, SETTINGS_CHANGED_EVENT, SETTINGS_STORAGE_KEY } from '../lab-config/storedSettings.ts';
import { h, part } from '../shared/dom.ts';
import type { CatalogEntry } from '../shared/errorCatalog.ts';
import { firstConnection } from '../shared/labElement.ts';
import { readScriptJson } from '../shared/scriptJson.ts';
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
import { SetupCheckRunner } from './setupCheckRunner.ts';
import { buildSettingsShareLink, parseSettingsShareFragment } from './shareLink.ts';
import { tenantBadgeView } from './tenantBadge.ts';

/** What a field held as the page was served: a different value now was typed or chosen by the reader. */
function markupValue(input: HTMLInputElement | HTMLSelectElement): string {
  if (input instanceof HTMLInputElement) return input.defaultValue;
  return ([...input.options].find((option) => option.defaultSelected) ?? input.options[0])?.value ?? '';
}

export class SettingsElement extends HTMLElement {
  #built!: PublicLabConfig;
  #choices: AuthorityChoice[] = [];
  #catalog: CatalogEntry[] = [];
  #setupCheck!: SetupCheckRunner;
  /** Fields whose last value was a credential: cleared, and they keep saying why until retyped. */
  #refused = new Map<SettingsField, FieldProblem>();

  connectedCallback(): void {
    if (!firstConnection(this)) return;
    this.#catalog = readScriptJson<CatalogEntry[]>(this, 'data-error-catalog') ?? [];
    try {
      this.#built = readBuiltLabConfig();
    } catch (error) {
      this.#status(error instanceof Error ? error.message : String(error));
      return;
    }
    this.#choices = authorityChoices(this.#built);
    // Typed before this code arrived (it loads on first use: ../shared/lazyWidgets.ts): kept, not overwritten.
    this.#fillForm(formValuesFrom(readBrowserSettings(), this.#defaultAuthority()), { keepTyped: true });

    part<HTMLFormElement>(this, 'form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#save();
    });
    for (const field of SETTINGS_FIELDS) {
      // A pasted secret is cleared at once: it is never kept, not even until the next Save.
      this.#input(field).addEventListener('input', () => this.#refuseCredential(field));
      // Also what was pasted before this code arrived (it loads on first use).
      if (this.#input(field).value) this.#refuseCredential(field);
    }
    this.#on('reset', () => this.#reset());
    this.#on('share', () => void this.#share());
    this.#setupCheck = new SetupCheckRunner(this, this.#catalog);
    this.#on('check', (button) => void this.#setupCheck.check(button));
    this.#on('sign-in', (button) => void this.#setupCheck.trySignIn(button));
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

  #fillForm(values: Partial<FormValues>, { keepTyped = false } = {}): void {
    for (const field of SETTINGS_FIELDS) {
      const input = this.#input(field);
      if (keepTyped && input.value !== markupValue(input)) continue;
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
      view.kind === 'static'
        ? 'This site has no lab behind it: name your Entra tenant below and the sign-in widgets run from your browser alone.'
        : `The widgets use ${view.kind === 'sandbox' ? 'the sandbox tenant' : 'a real tenant'} (${view.tenantId}), from the ${view.sourceText}.`;
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

  #status(text: string): void {
    part(this, 'status').textContent = text;
  }
}

export function defineSettings(): void {
  if (!customElements.get('lab-settings')) customElements.define('lab-settings', SettingsElement);
}
