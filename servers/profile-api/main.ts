/**
 * The Profile API: the downstream API of on-behalf-of. The Tasks API calls it as the signed-in user,
 * with the token it got from the tenant on that user's behalf. It is a separate resource server on
 * its own port, so the lab shows what a real chain looks like: a second audience, its own scope
 * (`Profile.Read`), and nobody but the middle tier calling it. It validates tokens with the very
 * pipeline the Tasks API uses (../api/verify/), given its own audience and endpoint policy.
 */
import type { Server } from 'node:http';
import { Hono } from 'hono';
import type { LabConfig } from '../../src/config/lab.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { type ApiParts, createHttpServer, createVerifier } from '../api/main.ts';
import { type ApiEnv, accessTokenGuard } from '../api/requireAccessToken.ts';
import type { EndpointPolicy } from '../api/verify/policy.ts';
import { type EventBus, protocolEvents } from '../events/index.ts';
import { listen, type RunningServer } from '../listen.ts';
import { findProfile } from './profiles.ts';

const { profileApi } = sandboxApps;
const [PROFILE_READ] = profileApi.scopes;

/** The caller's own profile: delegated `Profile.Read` only (an app has no profile of its own). */
export const PROFILE_ENDPOINT = { endpoint: 'GET /api/profile', scopes: [PROFILE_READ], appRoles: [] } as const satisfies EndpointPolicy;

/** The Profile API's verifier: the Tasks API's pipeline, its own audience, its own cache of the tenant's keys. */
export const profileApiParts = (config: LabConfig): ApiParts =>
  createVerifier(config, { resource: { clientId: profileApi.clientId, appIdUri: profileApi.appIdUri } });

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });

export function createProfileApiApp(
  config: LabConfig,
  options: { events?: EventBus; log?: (line: string) => void; parts?: ApiParts } = {},
): Hono<ApiEnv> {
  const { verifier } = options.parts ?? profileApiParts(config);
  const requireAccessToken = accessTokenGuard({
    verifier,
    realm: profileApi.appIdUri,
    log: options.log,
    events: options.events ?? protocolEvents,
  });
  const app = new Hono<ApiEnv>();

  app.get('/api/health', (c) => c.json({ status: 'ok', audiences: verifier.policy.acceptedAudiences }));

  // Every call reaching it in the lab is a downstream leg of on-behalf-of: the tracer files it there.
  app.get('/api/profile', requireAccessToken(PROFILE_ENDPOINT, { flow: 'on-behalf-of' }), (c) => {
    const caller = c.get('caller');
    const profile = findProfile(config.ids.tenantId, caller.tid, caller.oid);
    if (!profile) return json(404, { error: 'not_found', error_description: `No profile for user ${caller.oid} in tenant ${caller.tid}.` });
    // azp says which app called on the user's behalf: here the Tasks API, not the SPA the user signed in to.
    return c.json({ profile, calledBy: { azp: caller.appId, scp: caller.scopes } });
  });

  app.notFound((c) => json(404, { error: 'not_found', error_description: `No route ${c.req.method} ${c.req.path}.` }));
  app.onError((error, c) => {
    options.log?.(`profile-api: 500 ${c.req.method} ${c.req.path} ${error instanceof Error ? error.name : 'error'}`);
    return json(500, { error: 'server_error', error_description: 'The Profile API failed unexpectedly; see its console.' });
  });
  return app;
}

export function createProfileApiServer(
  config: LabConfig,
  options: { events?: EventBus; log?: (line: string) => void; parts?: ApiParts } = {},
): Server {
  // Host check (421 for a foreign Host, against DNS rebinding) against the Profile API's own origin.
  return createHttpServer(config, createProfileApiApp(config, options).fetch, config.profileApiOrigin);
}

export interface RunningProfileApi extends RunningServer {
  /** The workshop reset's part: the signing keys it cached are dropped (servers/workshop/sandboxReset.ts). */
  resetSandboxState(): string[];
}

export async function startProfileApi(config: LabConfig): Promise<RunningProfileApi> {
  const parts = profileApiParts(config);
  const server = createProfileApiServer(config, { log: (line) => console.log(line), parts });
  const running = await listen('profileApi', server, config.ports.profileApi, config.profileApiOrigin);
  return {
    ...running,
    resetSandboxState: () => {
      parts.keys.forget();
      return ['Forgot the cached signing keys: the next token is checked against the new JWKS.'];
    },
  };
}
