/**
 * The sample API (the "server app"): assembles the validation pipeline from the lab config and
 * serves it. The same code runs against the sandbox tenant and a real Entra tenant; only
 * `config.tenant` (issuer, discovery) and `config.ids` (audience, scopes) differ.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** The Node server settings of the lab's APIs: request head bounded by `config.api.maxHeaderBytes` (Node answers 431 above it), slow clients timed out. */
export const httpServerOptions = (config: LabConfig) =>
  ({ maxHeaderSize: config.api.maxHeaderBytes, headersTimeout: 10_000, requestTimeout: 30_000 }) as const;

/**
 * The request listener around a fetch handler, before the Host check: security headers on every
 * response (set on Node's response before the app writes, so no route pays for them), and with a
 * real tenant the tracer's event stream. Exported for the benchmark, which measures what the Host
 * check costs; servers use `createHttpServer`.
 */
export function apiRequestListener(
  config: LabConfig,
  fetchHandler: (request: Request) => Response | Promise<Response>,
  origin: string = config.apiOrigin,
): (req: IncomingMessage, res: ServerResponse) => void {
  const listener = getRequestListener(fetchHandler);
  return (req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    // With a real tenant no sandbox tenant runs, so the API streams the tracer's events itself.
    if (config.mode === 'real' && origin === config.apiOrigin && req.url?.startsWith(EVENTS_PATH)) {
      handleEventStream(req, res, new URL(req.url, config.apiOrigin), { allowedOrigins: [config.siteOrigin] });
      return;
    }
    void listener(req, res);
  };
}

/**
 * The Node HTTP server around a fetch handler (`httpServerOptions`, `apiRequestListener`), with a
 * foreign Host refused with 421 before any route runs (../requestGuard.ts). `origin` is the
 * server's own (the Profile API passes its own).
 */
export function createHttpServer(
  config: LabConfig,
  fetchHandler: (request: Request) => Response | Promise<Response>,
  origin: string = config.apiOrigin,
): Server {
  return createServer(httpServerOptions(config), guardHost(origin, apiRequestListener(config, fetchHandler, origin)));
}

type ApiServerOptions = { log?: (line: string) => void; parts?: ApiParts; tasks?: TaskStore; onBehalfOf?: ConfidentialClientApplication };

/** The API's routes as a fetch handler: the Tasks API and the daemon runner. */
export function createApiFetchHandler(
  config: LabConfig,
  options: ApiServerOptions = {},
): (request: Request) => Response | Promise<Response> {
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
  return app.fetch;
}

/** The API's HTTP server, not yet listening. */
export function createApiServer(config: LabConfig, options: ApiServerOptions = {}): Server {
  return createHttpServer(config, createApiFetchHandler(config, options));
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
