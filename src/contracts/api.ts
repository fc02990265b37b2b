/**
 * The sample API's protected endpoints, as `METHOD /path`: the one list that the API's permission
 * table (servers/api/permissions.ts), the API caller, the tamper lab, the side-by-side page, the
 * presenter's daemon steps and the exercises all offer.
 */
export const API_ENDPOINTS = ['GET /api/tasks', 'POST /api/tasks', 'GET /api/me', 'GET /api/me/profile'] as const;
export type ApiEndpoint = (typeof API_ENDPOINTS)[number];

export function isApiEndpoint(value: unknown): value is ApiEndpoint {
  return typeof value === 'string' && (API_ENDPOINTS as readonly string[]).includes(value);
}
