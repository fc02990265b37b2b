/**
 * "Check my setup": what each answer means. The settings widget makes the requests (element.ts);
 * these functions read the answers and say pass or fail, why, and what to fix, with the error
 * catalog's entry when the tenant or the API named a code. No DOM, no network: unit-tested.
 *
 * Steps, in the order a sign-in meets them:
 *   discovery → signing keys → SPA registration → sign-in (interactive) → sample API → daemon
 */
import type { PublicLabConfig } from '../../config/lab.ts';
import { parseEntraErrorBody } from '../../protocol/aadstsError.ts';
import type { RunResult } from '../client-credentials/runView.ts';
import { type CatalogEntry, type ExplainedError, explainError } from '../shared/errorCatalog.ts';

export const CHECK_STEPS = ['discovery', 'keys', 'client', 'sign-in', 'api', 'daemon'] as const;
export type CheckStepId = (typeof CHECK_STEPS)[number];

export const CHECK_STEP_TITLES: Record<CheckStepId, string> = {
  discovery: 'The tenant’s discovery document',
  keys: 'The tenant’s signing keys',
  client: 'The SPA’s app registration',
  'sign-in': 'A sign-in with the SPA (interactive)',
  api: 'The sample API accepts the token',
  daemon: 'The daemon’s client credentials (server configuration)',
};

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skipped';

export interface CheckOutcome {
  status: CheckStatus;
  /** One sentence: what was found. */
  summary: string;
  /** Facts worth seeing (URLs, key IDs, claims). */
  details?: string[];
  /** Rendered with the shared error card. */
  error?: ExplainedError;
}

/** What a fetch came back with: an HTTP answer (body parsed as JSON when it was JSON), or nothing readable. */
export type FetchAnswer = { kind: 'http'; status: number; body: unknown } | { kind: 'network'; message: string };

const isObject = (value: unknown): value is Record<string, unknown> => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** Why a browser gets no answer at all: the same three causes for every cross-origin request. */
function unreachable(config: PublicLabConfig, url: string, message: string, what: string): ExplainedError {
  const sandbox = url.startsWith(`${config.tenantOrigin}/`) || url.startsWith(`${config.apiOrigin}/`);
  return {
    title: `The browser could not read ${what}`,
    cause: `The request to ${url} failed before any answer could be read: the host is unreachable (offline, VPN, proxy or firewall), the authority host is wrong, or the answer came without CORS headers (Entra’s metadata allows any origin, so with Entra it is nearly always the network).`,
    fix: sandbox
      ? 'Start the lab with npm start (it starts the sandbox tenant and the sample API), then check again.'
      : `Open ${url} in a new tab. If it does not load, fix the network or choose the right cloud; if it shows JSON, a browser extension or proxy is blocking the page’s request.`,
    detail: message,
    known: false,
  };
}

/** An OAuth/Entra error answer (RFC 6749 §5.2 shape), explained from the catalog. */
function entraAnswer(catalog: CatalogEntry[], status: number, body: unknown, fallbackTitle: string): ExplainedError {
  const parsed = parseEntraErrorBody(body);
  const detail = [parsed.error, parsed.description?.split(/\r?\n/)[0]].filter(Boolean).join(': ') || `HTTP ${status}`;
  return explainError(catalog, parsed.code, fallbackTitle, detail);
}

export interface DiscoveryOutcome extends CheckOutcome {
  jwksUri?: string;
}

/** (a) `{authority}/v2.0/.well-known/openid-configuration`: it answers, and its issuer is `{authority}/v2.0`. */
export function checkDiscovery(config: PublicLabConfig, catalog: CatalogEntry[], answer: FetchAnswer): DiscoveryOutcome {
  const url = config.tenant.discovery;
  if (answer.kind === 'network')
    return { status: 'fail', summary: 'No readable answer.', error: unreachable(config, url, answer.message, 'the discovery document') };
  if (answer.status < 200 || answer.status > 299) {
    const error = entraAnswer(catalog, answer.status, answer.body, `The tenant answered ${answer.status}`);
    return { status: 'fail', summary: `The tenant answered ${answer.status}${error.code ? ` ${error.code}` : ''}.`, error };
  }
  if (!isObject(answer.body) || typeof answer.body.issuer !== 'string') {
    return {
      status: 'fail',
      summary: 'The answer is not an OpenID Connect discovery document.',
      error: {
        title: 'Not a discovery document',
        cause: `${url} answered 200 without an issuer: this host does not serve Entra’s v2 endpoints.`,
        fix: 'Choose the cloud your tenant lives in; for Entra it is almost always the global cloud.',
        known: false,
      },
    };
  }
  const issuer = answer.body.issuer;
  const jwksUri = typeof answer.body.jwks_uri === 'string' ? answer.body.jwks_uri : undefined;
  const details = [`issuer: ${issuer}`, ...(jwksUri ? [`jwks_uri: ${jwksUri}`] : [])];
  if (issuer !== config.tenant.issuer) {
    const cause = issuer.includes('{tenantid}')
      ? 'This is the multi-tenant document (common or organizations): its issuer is a template, not one tenant.'
      : issuer.startsWith('https://sts.windows.net/')
        ? 'This is the v1 issuer: the document came from the v1 endpoint.'
        : `The document names another issuer than the one the widgets expect, so every token would fail the issuer check (IDX10205).`;
    return {
      status: 'fail',
      summary: `The issuer is ${issuer}, not ${config.tenant.issuer}.`,
      details,
      error: {
        title: 'Unexpected issuer',
        cause,
        fix: 'Use the Directory (tenant) ID GUID from the Overview page, and the cloud the tenant lives in.',
        known: false,
      },
    };
  }
  if (!jwksUri) {
    return {
      status: 'fail',
      summary: 'The document lists no jwks_uri, so no signature could be checked.',
      details,
      error: {
        title: 'No jwks_uri',
        cause: 'Entra’s discovery documents always list jwks_uri.',
        fix: 'Check the authority host.',
        known: false,
      },
    };
  }
  return { status: 'pass', summary: `The tenant answers; its issuer ${issuer} carries the tenant ID.`, details, jwksUri };
}

/** (b) `jwks_uri`: a JSON Web Key Set (RFC 7517 §5) with at least one signing key. */
export function checkSigningKeys(config: PublicLabConfig, url: string, answer: FetchAnswer): CheckOutcome {
  if (answer.kind === 'network')
    return { status: 'fail', summary: 'No readable answer.', error: unreachable(config, url, answer.message, 'the signing keys') };
  const keys = isObject(answer.body) && Array.isArray(answer.body.keys) ? answer.body.keys.filter(isObject) : undefined;
  if (answer.status !== 200 || !keys) {
    return {
      status: 'fail',
      summary: `${url} answered ${answer.status} without a key set.`,
      error: {
        title: 'No JSON Web Key Set',
        cause: 'Without the tenant’s public keys nobody can verify its tokens: the API would refuse every one (IDX10503).',
        fix: 'Check again later; if it persists, check the authority host.',
        known: false,
      },
    };
  }
  const signing = keys.filter((key) => key.use === undefined || key.use === 'sig');
  if (signing.length === 0)
    return {
      status: 'fail',
      summary: 'The key set holds no signing key.',
      error: { title: 'No signing key', cause: 'No key has use "sig".', fix: 'Check the authority host.', known: false },
    };
  const kids = signing.map((key) => (typeof key.kid === 'string' ? key.kid : '(no kid)'));
  return {
    status: 'pass',
    summary: `${signing.length} signing key${signing.length === 1 ? '' : 's'} published: the API and the token decoder can verify this tenant’s tokens.`,
    details: kids.map((kid) => `kid ${kid}`),
  };
}

/**
 * (c) Is the SPA's client ID an app of this tenant? Entra shows "application not found" on its own
 * error page during a sign-in, which the page cannot read; the token endpoint says it in JSON. So the
 * check sends a deliberately made-up authorization code: the tenant names the unknown app
 * (AADSTS700016) before it looks at the code, and otherwise refuses only the code. Nothing is issued.
 * Design choice, not verified against Entra without internet: that Entra names an unknown client
 * before judging the code (public reports show it checks the client's credential first, e.g.
 * AADSTS7000215 for a made-up code), and that it sends CORS headers on that answer. When the answer
 * cannot be read the step says "check this" and the interactive sign-in decides.
 */
export function checkClientRegistration(config: PublicLabConfig, catalog: CatalogEntry[], answer: FetchAnswer): CheckOutcome {
  const clientId = config.ids.spaClientId;
  if (answer.kind === 'network') {
    return {
      status: 'warn',
      summary: `The token endpoint’s answer could not be read (${answer.message}); the sign-in below will tell.`,
    };
  }
  const parsed = parseEntraErrorBody(answer.body);
  const blocking = new Set(['AADSTS700016', 'AADSTS90002', 'AADSTS900023', 'AADSTS50194', 'AADSTS9002326', 'AADSTS50011', 'AADSTS700025']);
  if (parsed.code && blocking.has(parsed.code)) {
    const error = entraAnswer(catalog, answer.status, answer.body, `The tenant refused client ${clientId}`);
    return { status: 'fail', summary: `The tenant answered ${parsed.code} for client ${clientId}.`, error };
  }
  return {
    status: 'pass',
    summary: `The tenant knows client ${clientId}: it refused only the made-up code (${parsed.code ?? parsed.error ?? `HTTP ${answer.status}`}), as it should.`,
  };
}

/** (c) The interactive sign-in came back: what the access token says (claims only, never the token). */
export function describeSignIn(username: string, claims: Record<string, unknown>, config: PublicLabConfig): CheckOutcome {
  const aud = String(claims.aud ?? '');
  const scp = String(claims.scp ?? '');
  const details = [`aud: ${aud}`, `scp: ${scp}`, `iss: ${String(claims.iss ?? '')}`];
  if (aud && aud !== config.ids.apiClientId && aud !== config.ids.apiAppIdUri) {
    return {
      status: 'warn',
      summary: `Signed in as ${username}, but the access token’s aud is ${aud}, not the API’s client ID ${config.ids.apiClientId}.`,
      details,
      error: {
        title: 'Token for another audience',
        cause: 'Entra issued the token for another resource than the API in the settings, or a v1 token (aud is then the App ID URI).',
        fix: 'Check the API client ID and App ID URI, and set requestedAccessTokenVersion to 2 in the API’s manifest.',
        known: false,
      },
    };
  }
  return { status: 'pass', summary: `Signed in as ${username}; the access token is for the API (aud ${aud}) with scp “${scp}”.`, details };
}

/** What the sample API says it trusts (`GET /api/health`), from its own server configuration. */
export interface ApiTrust {
  issuers: string[];
  audiences: string[];
}

/** (d) The sample API called with the token: accepted, or refused with its IDX reason. */
export function checkApiAnswer(
  config: PublicLabConfig,
  catalog: CatalogEntry[],
  answer: FetchAnswer,
  trust: ApiTrust | undefined,
): CheckOutcome {
  const url = `${config.apiOrigin}/api/me`;
  if (answer.kind === 'network')
    return { status: 'fail', summary: 'The sample API did not answer.', error: unreachable(config, url, answer.message, 'the sample API') };
  if (answer.status >= 200 && answer.status < 300) {
    const caller = isObject(answer.body) ? answer.body : {};
    return {
      status: 'pass',
      summary: `The API accepted the token (${answer.status}): issuer, audience, signature and lifetime all check out.`,
      details: [`caller: ${String(caller.kind ?? '')} ${String(caller.oid ?? '')}`.trim()],
    };
  }
  const body = isObject(answer.body) ? answer.body : {};
  const code = typeof body.code === 'string' ? body.code : undefined;
  const claim = typeof body.claim === 'string' ? body.claim : undefined;
  const description = typeof body.error_description === 'string' ? body.error_description : `HTTP ${answer.status}`;
  const explained = explainError(catalog, code, `The API refused the token (${answer.status})`, description);
  const trusted = trust ? ` The API trusts issuer ${trust.issuers.join(' or ')} and audience ${trust.audiences.join(' or ')}.` : '';
  let mismatch: string | undefined;
  if (claim === 'aud' || code === 'IDX10214') {
    mismatch = `The API’s server configuration (.env: ENTRA_API_CLIENT_ID) and the browser settings (${config.ids.apiClientId}) name different API apps.${trusted} Make them the same: change the API client ID here, or the server’s .env and restart npm start.`;
  } else if (claim === 'iss' || code === 'IDX10205' || code === 'IDX40001') {
    mismatch = `The API trusts the tenant of its server configuration (.env), and the token comes from ${config.tenant.issuer}.${trusted} The browser settings and the server must name the same tenant.`;
  } else if (code === 'IDX10503' || code === 'IDX10511') {
    mismatch =
      'The API reads signing keys from the tenant of its server configuration (.env); a token from another tenant is signed with keys it does not have. The browser settings and the server must name the same tenant.';
  }
  return {
    status: 'fail',
    summary: `The API refused the token: ${answer.status}${code ? ` ${code}` : ''}${claim ? ` (claim ${claim})` : ''}.`,
    error: mismatch ? { ...explained, cause: `${mismatch}${explained.cause ? ` ${explained.cause}` : ''}` } : explained,
  };
}

/** (e) The daemon's run through the API's /daemon route: MSAL Node with the server's credential. */
export function checkDaemonRun(config: PublicLabConfig, catalog: CatalogEntry[], result: RunResult): CheckOutcome {
  const response = result.steps.find((step) => step.id === 'token-response');
  const request = result.steps.find((step) => step.id === 'token-request');
  if (response?.status === 'failed' || (!response && request?.status === 'failed')) {
    const failed = response ?? request;
    const code = failed?.error?.code;
    const error = explainError(
      catalog,
      code,
      'The daemon got no token',
      [failed?.error?.error, failed?.error?.description?.split(/\r?\n/)[0], failed?.note].filter(Boolean).join(': '),
    );
    return {
      status: 'fail',
      summary: `The tenant refused the daemon’s client credentials${code ? ` (${code})` : ''}. The daemon uses the server’s .env, not these browser settings.`,
      error,
    };
  }
  const call = result.steps.find((step) => step.id === 'api-call');
  const status = call?.exchange?.status;
  if (call?.status !== 'ok') {
    const body = isObject(call?.exchange?.responseBody) ? call.exchange.responseBody : {};
    const code = typeof body.code === 'string' ? body.code : undefined;
    return {
      status: 'fail',
      summary: `The daemon got a token, but GET /api/tasks answered ${status ?? 'nothing'}${code ? ` ${code}` : ''}.`,
      error: explainError(catalog, code, 'The API refused the daemon’s token', call?.note ?? String(body.error_description ?? '')),
    };
  }
  return {
    status: 'pass',
    summary: `The daemon got an app-only token with its ${result.credential === 'certificate' ? 'certificate' : 'client secret'} and GET /api/tasks answered ${status}.`,
    details: [`token endpoint: ${request?.exchange?.url.split('?')[0] ?? config.tenant.token}`],
  };
}
