/**
 * The sample confidential web app: a Node server that signs users in against the tenant with
 * MSAL Node's `ConfidentialClientApplication`, keeps their tokens in a server-side cache and shows
 * their tasks as server-rendered HTML. `npm start` runs it beside the tenant and the API
 * (scripts/lib/lab-servers.ts), at `LAB_WEBAPP_PORT` (default 4600).
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { LabConfig } from '../../src/config/lab.ts';
import { loadErrorCatalog } from '../../src/data/errorCatalog.ts';
import { listen, type RunningServer } from '../listen.ts';
import { guardHost } from '../requestGuard.ts';
import { createWebApp } from './routes.ts';
import { SessionStore } from './sessions.ts';

export function createWebAppServer(config: LabConfig, sessions: SessionStore = new SessionStore()): Server {
  const app = createWebApp({ config, catalog: loadErrorCatalog(), sessions });
  // A foreign Host (DNS rebinding) is answered 421 before any route runs, as on every lab server.
  return createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, guardHost(config.webapp.origin, getRequestListener(app.fetch)));
}

export interface RunningWebApp extends RunningServer {
  /** The workshop reset's part: every session, and so every cached token, forgotten. */
  resetSandboxState(): string[];
}

export async function startWebApp(config: LabConfig): Promise<RunningWebApp> {
  const sessions = new SessionStore();
  const running = await listen('webapp', createWebAppServer(config, sessions), config.ports.webapp, config.webapp.origin);
  return { ...running, resetSandboxState: () => [`Signed out of the web app (${sessions.clear()} sessions, with their token caches).`] };
}
