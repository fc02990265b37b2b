/**
 * Sandbox-only administration, for the tests, `npm run tenant:rotate-keys` and the workshop's
 * reset button. Answers only over loopback and only to requests that carry `X-Lab-Admin: 1`
 * (a custom header, so a web page cannot send it cross-origin without a CORS preflight, and the
 * preflight is granted to the lab's own site only).
 *
 *   GET  /_sandbox/keys                        the signing keys in the JWKS, with retirement times
 *   POST /_sandbox/rotate-keys?graceSeconds=N  publish a new signing key; the old one stays N s (default 24 h)
 *   POST /_sandbox/retire-keys                 end every grace period now
 *   POST /_sandbox/reset                       sign everyone out, forget consent and events (&keys=rotate: fresh keys too)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { originProblem } from '../requestGuard.ts';
import type { TenantContext } from './context.ts';
import { DEFAULT_ROTATION_GRACE_SECONDS } from './keys.ts';

export const ADMIN_PREFIX = '/_sandbox/';
export const ADMIN_HEADER = 'x-lab-admin';

export interface AdminActions {
  rotateKeys(graceSeconds: number): Promise<unknown>;
  retireReplacedKeys(): Promise<unknown>;
  reset(options: { rotateKeys: boolean }): Promise<unknown>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body, null, 2));
}

export async function handleAdmin(
  tenant: TenantContext,
  actions: AdminActions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const origin = req.headers.origin;
  const cors: Record<string, string> =
    origin === tenant.config.siteOrigin
      ? {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Headers': ADMIN_HEADER,
          'Access-Control-Allow-Methods': 'GET, POST',
          Vary: 'Origin',
        }
      : { Vary: 'Origin' };
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
    send(res, 403, { error: 'forbidden', error_description: 'The sandbox administration answers only on this computer (loopback).' });
    return;
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors).end();
    return;
  }
  // State changes come from the lab's own pages (the workshop reset) or its own tools, which say so.
  const refused =
    req.method === 'POST' && originProblem(origin, [tenant.config.siteOrigin, tenant.config.tenantOrigin], 'The sandbox administration');
  if (refused) {
    send(res, 403, { error: 'forbidden', error_description: refused }, cors);
    return;
  }
  if (req.headers[ADMIN_HEADER] !== '1') {
    send(res, 403, { error: 'forbidden', error_description: `Send the header "X-Lab-Admin: 1" to use the sandbox administration.` }, cors);
    return;
  }
  const action = url.pathname.slice(ADMIN_PREFIX.length);
  const published = () =>
    tenant.keys
      .published()
      .map((key, i) => ({ kid: key.kid, createdAt: key.createdAt, signing: i === 0, retireAt: i === 0 ? undefined : key.retireAt }));
  if (req.method === 'GET' && action === 'keys') {
    send(res, 200, { keys: published() }, cors);
    return;
  }
  if (req.method !== 'POST') {
    send(
      res,
      405,
      { error: 'invalid_request', error_description: `${req.method} is not allowed on ${url.pathname}.` },
      { ...cors, Allow: 'POST' },
    );
    return;
  }
  switch (action) {
    case 'rotate-keys': {
      const raw = url.searchParams.get('graceSeconds');
      const graceSeconds = raw === null ? DEFAULT_ROTATION_GRACE_SECONDS : Number(raw);
      if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > 30 * 24 * 60 * 60) {
        send(
          res,
          400,
          { error: 'invalid_request', error_description: 'graceSeconds must be a whole number of seconds from 0 to 2592000 (30 days).' },
          cors,
        );
        return;
      }
      const result = await actions.rotateKeys(graceSeconds);
      send(res, 200, { ...(result as object), keys: published() }, cors);
      return;
    }
    case 'retire-keys':
      send(res, 200, { ...((await actions.retireReplacedKeys()) as object), keys: published() }, cors);
      return;
    case 'reset':
      send(
        res,
        200,
        { ...((await actions.reset({ rotateKeys: url.searchParams.get('keys') === 'rotate' })) as object), keys: published() },
        cors,
      );
      return;
    default:
      send(res, 404, { error: 'not_found', error_description: `${url.pathname} is not a sandbox administration route.` }, cors);
  }
}
