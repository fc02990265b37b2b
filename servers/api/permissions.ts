/**
 * Which permission each endpoint needs, the way an Entra-protected API declares it: delegated
 * scopes (`scp`, a user acting through a client app) and application roles (`roles`, a daemon
 * acting as itself). The names come from the API's app registration in `src/config/sandbox.ts`.
 */
import { sandboxApps } from '../../src/config/sandbox.ts';
import type { ApiEndpoint } from '../../src/contracts/api.ts';
import type { EndpointPolicy } from './verify/policy.ts';

const [TASKS_READ, TASKS_READ_WRITE] = sandboxApps.api.scopes;
const [TASKS_READ_ALL] = sandboxApps.api.appRoles;

export const endpointPolicies = {
  /** A user's own tasks (either scope), or every task for a daemon granted Tasks.Read.All. */
  'GET /api/tasks': { endpoint: 'GET /api/tasks', scopes: [TASKS_READ, TASKS_READ_WRITE], appRoles: [TASKS_READ_ALL] },
  /** Creating a task acts for a signed-in user: delegated Tasks.ReadWrite only, never app-only. */
  'POST /api/tasks': { endpoint: 'POST /api/tasks', scopes: [TASKS_READ_WRITE], appRoles: [] },
  /** Who is calling: any token that may read tasks. */
  'GET /api/me': { endpoint: 'GET /api/me', scopes: [TASKS_READ, TASKS_READ_WRITE], appRoles: [TASKS_READ_ALL] },
  /** The caller's profile, fetched on-behalf-of the user from the Profile API: a user only, an app has no user to act for. */
  'GET /api/me/profile': { endpoint: 'GET /api/me/profile', scopes: [TASKS_READ, TASKS_READ_WRITE], appRoles: [] },
} as const satisfies Record<ApiEndpoint, EndpointPolicy>;
