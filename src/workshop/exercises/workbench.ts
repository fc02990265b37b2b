/**
 * The workbench's DOM: the same real legs as the presenter's step-through (../stepThrough/actions.ts),
 * driven by buttons, with the redirect URI and the API call left for the learner to choose.
 */
import type { PublicLabConfig } from '../../config/lab.ts';
import type { ApiEndpoint } from '../../contracts/api.ts';
import { AuthorizeError, openAuthorizePopup } from '../../widgets/pkce/authorizeInPopup.ts';
import { h, setBusy } from '../../widgets/shared/dom.ts';
import { labConfigOr } from '../../widgets/shared/labElement.ts';
import { type BeatOutcome, type FlowRun, runAction } from '../stepThrough/actions.ts';

const part = <T extends HTMLElement = HTMLElement>(root: HTMLElement, name: string) => root.querySelector(`[data-part="${name}"]`) as T;

export class WorkbenchElement {
  readonly #root: HTMLElement;
  #config: PublicLabConfig | undefined;
  #user: FlowRun = {};
  #hasAppToken = false;

  constructor(root: HTMLElement) {
    this.#root = root;
    this.#config = labConfigOr((message) => this.#status(message), 'server');
    if (!this.#config) return; // a static build: the <NoLab> card says so

    part<HTMLButtonElement>(root, 'sign-in').addEventListener(
      'click',
      (event) => void this.#signIn(event.currentTarget as HTMLButtonElement),
    );
    part<HTMLButtonElement>(root, 'daemon-token').addEventListener(
      'click',
      (event) => void this.#daemonToken(event.currentTarget as HTMLButtonElement),
    );
    part<HTMLButtonElement>(root, 'call').addEventListener('click', (event) => void this.#call(event.currentTarget as HTMLButtonElement));
  }

  #status(text: string): void {
    part(this.#root, 'status').textContent = text;
  }

  #log(title: string, outcome: BeatOutcome): void {
    const fields = outcome.fields.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, h('code', {}, value))]);
    const item = h(
      'li',
      { 'data-ok': String(outcome.ok) },
      h('strong', {}, `${title}: `),
      outcome.ok ? '' : h('span', {}, 'Failed. '),
      outcome.result,
      outcome.code ? h('span', {}, ' ', h('code', {}, outcome.code)) : '',
      fields.length ? h('dl', {}, ...fields) : '',
    );
    part(this.#root, 'log').prepend(item);
    this.#status(`${title}: ${outcome.ok ? 'done' : 'failed'}.`);
  }

  async #signIn(button: HTMLButtonElement): Promise<void> {
    const config = this.#config;
    if (!config) return;
    const redirectUri = part<HTMLInputElement>(this.#root, 'redirect').value.trim();
    if (!/^https?:\/\/\S+$/.test(redirectUri)) {
      this.#log('Sign in', {
        ok: false,
        result: 'The redirect_uri must be an absolute http(s) URL, as registered on the app.',
        fields: [],
      });
      return;
    }
    let popup: Window;
    try {
      popup = openAuthorizePopup(); // now, while the click still counts as a user gesture
    } catch (error) {
      this.#log('Sign in', { ok: false, result: (error as Error).message, fields: [], code: 'popup_blocked' });
      return;
    }
    setBusy(button, true, 'Signing in…');
    this.#user = { redirectUri };
    const context = { config, run: this.#user, popup, onStatus: () => this.#status('Waiting for the sign-in window…') };
    try {
      const pkce = await runAction('pkce.create', context);
      if (!pkce.ok) return this.#log('PKCE', pkce);
      const authorize = await runAction('authorize', context);
      this.#log('Authorization request', authorize);
      if (!authorize.ok) return;
      this.#log('Token request', await runAction('token.redeem', context));
    } catch (error) {
      const closed = error instanceof AuthorizeError && error.code === 'user_cancelled';
      this.#log('Authorization request', {
        ok: false,
        result: closed
          ? 'The sign-in window was closed before the tenant sent a code back. If it showed an error page instead of a sign-in, read its code and message.'
          : (error as Error).message,
        fields: [['redirect_uri sent', redirectUri]],
      });
    } finally {
      setBusy(button, false, 'Signing in…');
    }
  }

  async #daemonToken(button: HTMLButtonElement): Promise<void> {
    const config = this.#config;
    if (!config) return;
    setBusy(button, true, 'Running…');
    try {
      const outcome = await runAction('daemon.token', { config, run: {}, onStatus: () => {} });
      this.#hasAppToken ||= outcome.ok;
      this.#log('Daemon token request', outcome);
    } catch (error) {
      this.#log('Daemon token request', { ok: false, result: (error as Error).message, fields: [] });
    } finally {
      setBusy(button, false, 'Running…');
    }
  }

  async #call(button: HTMLButtonElement): Promise<void> {
    const config = this.#config;
    if (!config) return;
    const which = part<HTMLSelectElement>(this.#root, 'token').value;
    const endpoint = part<HTMLSelectElement>(this.#root, 'endpoint').value as ApiEndpoint;
    if (which === 'user' && !this.#user.accessToken) {
      this.#log(endpoint, { ok: false, result: 'There is no user token yet: sign in first.', fields: [] });
      return;
    }
    if (which === 'app' && !this.#hasAppToken) {
      this.#log(endpoint, { ok: false, result: 'There is no app-only token yet: run the daemon’s token request first.', fields: [] });
      return;
    }
    setBusy(button, true, 'Calling…');
    try {
      const outcome =
        which === 'user'
          ? await runAction('api.call', { config, run: this.#user, endpoint, onStatus: () => {} })
          : await runAction('daemon.api-call', { config, run: {}, endpoint, onStatus: () => {} });
      this.#log(`${endpoint} with the ${which === 'user' ? 'user’s' : 'daemon’s'} token`, outcome);
    } catch (error) {
      this.#log(endpoint, { ok: false, result: (error as Error).message, fields: [] });
    } finally {
      setBusy(button, false, 'Calling…');
    }
  }
}
