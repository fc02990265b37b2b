/**
 * The sample API (the "server app"): assembles the validation pipeline from the lab config and
 * serves it. The same code runs against the sandbox tenant and a real Entra tenant; only
 * `config.tenant` (issuer, discovery) and `config.ids` (audience, scopes) differ.
 */
import { createServer, type Server } from 'node:http';
import type { ConfidentialClientApplication } from '@azure/msal-node';
import { getRequestListener } from '@hono/node-server';
import { authorityEndpoints, type LabConfig } from '../../src/config/lab.ts';
import { type ErrorCatalog, loadErrorCatalog, requireCodes } from '../../src/data/errorCatalog.ts';
import { createDaemonApp } from '../daemon/routes.ts';
import { EVENTS_PATH, handleEventStream } from '../events/index.ts';
import { listen, type RunningServer } from '../listen.ts';
import { guardHost } from '../requestGuard.ts';
import { createOnBehalfOfClient } from './onBehalfOf.ts';
import { createApiApp } from './routes.ts';
import { createSigningKeySource, type SigningKeySource } from './signingKeys.ts';
import { createTaskStore, type TaskStore } from './tasks.ts';
import { createVerifiedTokenCache } from './verifiedTokens.ts';
import { type ProtectedResource, tokenPolicyFromConfig, type Verifier } from './verify/policy.ts';
import { REASON_CODES } from './verify/reports.ts';

export interface ApiParts {
  verifier: Verifier;
  keys: SigningKeySource;
  catalog: ErrorCatalog;
}

/** The verifier for this configuration: policy, signing keys from the tenant's discovery document, reasons from the catalog. */
export function createVerifier(
  config: LabConfig,
  overrides: { keys?: SigningKeySource; catalog?: ErrorCatalog; cacheVerifiedTokens?: boolean; resource?: ProtectedResource } = {},
): ApiParts {
  const catalog = overrides.catalog ?? loadErrorCatalog();
  requireCodes(catalog, REASON_CODES, 'the sample API');
  const keys =
    overrides.keys ??
    createSigningKeySource({
      // The https authority's own discovery document, over TLS, as an API deployed next to Entra reads it.
      discoveryUrl: authorityEndpoints(config).discovery,
      expectedIssuer: config.tenant.issuer,
      cooldownMs: config.api.jwksCooldownSeconds * 1000,
      maxAgeMs: config.api.jwksMaxAgeSeconds * 1000,
    });
  const verifiedTokens = overrides.cacheVerifiedTokens === false ? undefined : createVerifiedTokenCache(1000, config.api.clockSkewSeconds);
  return { verifier: { policy: tokenPolicyFromConfig(config, overrides.resource), keys, catalog, verifiedTokens }, keys, catalog };
}

/** Sent with every answer. The API serves JSON only, never anything a browser should cache or sniff. */
const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' } as const;

/**
 * The Node HTTP server around a fetch handler: request head bounded by `config.api.maxHeaderBytes`
 * (Node answers 431 above it), slow clients timed out, security headers on every response (set on
 * Node's response before the app writes, so no route pays for them), a foreign Host refused with 421
 * before any route runs (../requestGuard.ts). `origin` is the server's own (the Profile API passes its own).
 */
export function createHttpServer(
  config: LabConfig,
  fetchHandler: (request: Request) => Response | Promise<Response>,
  origin: string = config.apiOrigin,
): Server {
  const listener = getRequestListener(fetchHandler);
  return createServer(
    { maxHeaderSize: config.api.maxHeaderBytes, headersTimeout: 10_000, requestTimeout: 30_000 },
    guardHost(origin, (req, res) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      // With a real tenant no sandbox tenant runs, so the API streams the tracer's events itself.
      if (config.mode === 'real' && origin === config.apiOrigin && req.url?.startsWith(EVENTS_PATH)) {
        handleEventStream(req, res, new URL(req.url, config.apiOrigin), { allowedOrigins: [config.siteOrigin] });
        return;
      }
      void listener(req, res);
    }),
  );
}

/** The API's HTTP server, not yet listening. */
export function createApiServer(
  config: LabConfig,
  options: { log?: (line: string) => void; parts?: ApiParts; tasks?: TaskStore; onBehalfOf?: ConfidentialClientApplication } = {},
): Server {
  const { verifier } = options.parts ?? createVerifier(config);
  const app = createApiApp({
    config,
    verifier,
    tasks: options.tasks ?? createTaskStore(),
    log: options.log,
    ...(options.onBehalfOf ? { onBehalfOf: options.onBehalfOf } : {}),
  });
  // The client-credentials widget's daemon runs here, server-side: POST /daemon/run (servers/daemon/routes.ts).
  app.route('/daemon', createDaemonApp(config));
  return createHttpServer(config, app.fetch);
}

export interface RunningApi extends RunningServer {
  /** The workshop reset's part: data back to the seed, cached signing keys dropped (servers/workshop/sandboxReset.ts). */
  resetSandboxState(): string[];
}

export async function startApi(config: LabConfig): Promise<RunningApi> {
  const parts = createVerifier(config);
  const tasks = createTaskStore();
  const onBehalfOf = config.mode === 'sandbox' ? createOnBehalfOfClient(config) : undefined;
  const running = await listen(
    'api',
    createApiServer(config, { log: (line) => console.log(line), parts, tasks, ...(onBehalfOf ? { onBehalfOf } : {}) }),
    config.ports.api,
    config.apiOrigin,
  );
  return {
    ...running,
    resetSandboxState: () => {
      parts.keys.forget();
      // MSAL Node's cache is in memory; clearing it is synchronous work behind a promise.
      void onBehalfOf?.clearCache();
      return [
        `Tasks back to the seed (${tasks.reset()} tasks).`,
        'Forgot the cached signing keys: the next token is checked against the new JWKS.',
        ...(onBehalfOf ? ['Emptied the on-behalf-of token cache: the next call to /api/me/profile asks the tenant again.'] : []),
      ];
    },
  };
}
