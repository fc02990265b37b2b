/**
 * `<side-by-side>`: runs both flows at once (the user's sign-in in a popup, the daemon on the lab's
 * server), calls the API with each token, and shows the claim diff and the API's decision for every
 * endpoint. The tokens stay in this element; only the lab's own API and daemon route see them.
 */

import type { PublicLabConfig } from '../../config/lab.ts';
import { API_ENDPOINTS } from '../../contracts/api.ts';
import { announceLeg } from '../../flows/browserLegs.ts';
import { withLabSession } from '../../flows/labSession.ts';
import { decodeJwt } from '../../protocol/decodeJwt.ts';
import { shortenToken } from '../../protocol/redact.ts';
import { withAuthorizePopup } from '../pkce/authorizeInPopup.ts';
import { type DelegatedTokens, signInWithPkce } from '../pkce/signInWithPkce.ts';
import { h, part } from '../shared/dom.ts';
import { firstConnection, labConfigOr } from '../shared/labElement.ts';
import { type Explanation, explainToken } from '../tamper-lab/explain.ts';
import { type ClaimRow, diffClaims, refreshTokenRow, showValue } from './claimDiff.ts';
import { daemonGotRefreshToken, type RunResult, runDaemon } from './runDaemon.ts';

const KIND_TEXT: Record<ClaimRow['kind'], string> = {
  same: 'same in both',
  different: 'differs',
  'delegated-only': 'only in the delegated token',
  'app-only': 'only in the app-only token',
  neither: 'in neither',
};

function decision(explanation: Explanation): HTMLElement {
  const auth = explanation.steps.find((step) => step.step === 'authorization');
  if (explanation.verdict === 'accepted') {
    return h('td', { 'data-verdict': 'accepted' }, h('span', { class: 'lab-sbs__allowed' }, '✓ 200 allowed'), h('br'), auth?.summary ?? '');
  }
  const problem = explanation.problem;
  return h(
    'td',
    { 'data-verdict': explanation.verdict, 'data-code': problem?.code ?? '' },
    h('span', { class: 'lab-sbs__refused' }, `✗ ${explanation.status} ${problem?.error ?? ''}${problem?.code ? ` (${problem.code})` : ''}`),
    h('br'),
    problem?.description ?? auth?.summary ?? '',
  );
}

export class SideBySideElement extends HTMLElement {
  #config?: PublicLabConfig;

  connectedCallback(): void {
    if (!firstConnection(this)) return;
    this.#config = labConfigOr((message) => {
      part(this, 'status').textContent = message;
      part<HTMLButtonElement>(this, 'run').disabled = true;
    }, 'server');
    if (!this.#config) return;
    part(this, 'run').addEventListener('click', () => void this.run());
  }

  async run(): Promise<void> {
    const config = this.#config;
    if (!config) return;
    const button = part<HTMLButtonElement>(this, 'run');
    const status = part(this, 'status');
    const errors = part(this, 'errors');
    errors.replaceChildren();
    const labels = { busy: 'Running both flows…', prompt: 'Sign in as a user in the popup; the daemon runs on the server meanwhile.' };
    await withAuthorizePopup(button, status, labels, async (popup) => {
      const [user, daemon] = await Promise.allSettled([this.#userFlow(config, popup), runDaemon(config.apiOrigin)]);
      const problems: string[] = [];
      if (user.status === 'rejected') problems.push(`Authorization Code + PKCE: ${(user.reason as Error).message}`);
      if (daemon.status === 'rejected') problems.push(`Client Credentials: ${(daemon.reason as Error).message}`);
      if (daemon.status === 'fulfilled' && !daemon.value.accessToken) {
        const failed = daemon.value.steps.find((step) => step.status === 'failed');
        problems.push(`Client Credentials: no token (${failed?.error?.code ?? failed?.error?.error ?? failed?.note ?? 'the run failed'}).`);
      }
      if (problems.length || user.status !== 'fulfilled' || daemon.status !== 'fulfilled' || !daemon.value.accessToken) {
        errors.replaceChildren(...problems.map((p) => h('p', { class: 'lab-sbs__error' }, p)));
        status.textContent = 'One of the flows failed; see below.';
        return;
      }
      await this.#show(config, user.value, daemon.value);
      status.textContent = 'Done: both tokens compared below.';
    });
  }

  async #userFlow(config: PublicLabConfig, popup: Window): Promise<DelegatedTokens> {
    const tokens = await signInWithPkce(config, popup);
    // The SPA calls the API with its token, as an app would; the daemon did the same on the server.
    const url = withLabSession(`${config.apiOrigin}/api/tasks`);
    announceLeg({
      flow: 'auth-code-pkce',
      event: 'api.request',
      request: { line: `GET ${config.apiOrigin}/api/tasks`, fields: { Authorization: `Bearer ${shortenToken(tokens.accessToken)}` } },
    });
    try {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${tokens.accessToken}` } });
      announceLeg({
        flow: 'auth-code-pkce',
        event: 'api.response',
        error: response.ok ? undefined : String(response.status),
        response: { line: `${response.status} ${response.statusText}` },
      });
    } catch (error) {
      announceLeg({ flow: 'auth-code-pkce', event: 'api.response', error: 'network', response: { line: (error as Error).message } });
    }
    return tokens;
  }

  async #show(config: PublicLabConfig, user: DelegatedTokens, daemon: RunResult): Promise<void> {
    const delegated = decodeJwt(user.accessToken).payload as Record<string, unknown>;
    const appOnly = decodeJwt(daemon.accessToken as string).payload as Record<string, unknown>;
    const rows = [...diffClaims(delegated, appOnly), refreshTokenRow(Boolean(user.refreshToken), daemonGotRefreshToken(daemon))];
    part(this, 'claims')
      .querySelector('tbody')
      ?.replaceChildren(
        ...rows.map((row) =>
          h(
            'tr',
            { 'data-claim': row.claim, 'data-kind': row.kind },
            h('th', { scope: 'row' }, h('code', {}, row.claim)),
            h('td', { class: 'lab-sbs__value', 'data-side': 'delegated' }, showValue(row.delegated)),
            h('td', { class: 'lab-sbs__value', 'data-side': 'app-only' }, showValue(row.appOnly)),
            h('td', {}, h('strong', {}, `${KIND_TEXT[row.kind]}. `), row.note),
          ),
        ),
      );
    const matrix = await Promise.all(
      API_ENDPOINTS.map(async (endpoint) => {
        const [forUser, forDaemon] = await Promise.all([
          explainToken(config.apiOrigin, user.accessToken, endpoint),
          explainToken(config.apiOrigin, daemon.accessToken as string, endpoint),
        ]);
        return h(
          'tr',
          { 'data-endpoint': endpoint },
          h('th', { scope: 'row' }, h('code', {}, endpoint)),
          decision(forUser),
          decision(forDaemon),
        );
      }),
    );
    part(this, 'endpoints')
      .querySelector('tbody')
      ?.replaceChildren(...matrix);
    part(this, 'result').hidden = false;
  }
}
