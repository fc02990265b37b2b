/**
 * Entra's error responses, with the message text taken from the lab's error catalog
 * (`content/errors.yaml`, the same entries the site renders).
 *
 * Token endpoint (JSON):
 *   { error, error_description: "AADSTS54005: <message>\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …",
 *     error_codes: [54005], timestamp, trace_id, correlation_id, error_uri }
 * Authorize: the same first line goes into `error_description` on the redirect, or onto the
 * tenant's error page when Entra would not redirect (AADSTS50011).
 */
import { randomUUID } from 'node:crypto';
import type { ErrorCatalog } from '../../src/data/errorCatalog.ts';
import type { ErrorEntry } from '../../src/data/schemas.ts';

/** Every AADSTS code the sandbox tenant answers with. Each must have a catalog entry (a test checks). */
export const TENANT_ERROR_CODES = [
  'AADSTS50011',
  'AADSTS700016',
  'AADSTS90002',
  'AADSTS70011',
  'AADSTS650053',
  'AADSTS50058',
  'AADSTS50126',
  'AADSTS50034',
  'AADSTS65004',
  'AADSTS65001',
  'AADSTS54005',
  'AADSTS70008',
  'AADSTS70000',
  'AADSTS501481',
  'AADSTS9002325',
  'AADSTS9002326',
  'AADSTS9002327',
  'AADSTS700084',
  'AADSTS7000215',
  'AADSTS7000218',
  'AADSTS700025',
  'AADSTS700027',
  'AADSTS700024',
  'AADSTS50048',
  'AADSTS50012',
  'AADSTS50027',
  'AADSTS1002012',
  'AADSTS700022',
  'AADSTS500011',
  'AADSTS900144',
  'AADSTS9002313',
  'AADSTS70003',
  'AADSTS900561',
  'AADSTS50194',
  'AADSTS700054',
  'AADSTS50149',
  // on-behalf-of (./onBehalfOf.ts)
  'AADSTS50013',
  'AADSTS500133',
  'AADSTS500131',
  'AADSTS7000114',
  'AADSTS240002',
  // Workload identity federation (./federatedAssertion.ts)
  'AADSTS700211',
  'AADSTS700212',
  'AADSTS700213',
  'AADSTS7002138',
  'AADSTS7000272',
] as const;

export type TenantErrorCode = (typeof TENANT_ERROR_CODES)[number];

/**
 * An Entra error as a value: the AADSTS code, the placeholders of its catalog message
 * (`{client_id}`, `{scope}`…) and, rarely, an OAuth error or status that differs from the entry's.
 */
export interface EntraError {
  code: TenantErrorCode;
  params?: Record<string, string | undefined>;
  error?: string;
  status?: number;
  /**
   * The message with its placeholders already filled: set when the tenant raised the error inside
   * oidc-provider and it comes back as `error_description` text.
   */
  filledMessage?: string;
}

export function entraError(
  code: TenantErrorCode,
  params?: Record<string, string | undefined>,
  override?: { error?: string; status?: number },
): EntraError {
  return { code, params, ...override };
}

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

export interface RenderedEntraError {
  status: number;
  /** `AADSTS54005: OAuth2 Authorization code was already redeemed, …` */
  summary: string;
  body: EntraErrorBody;
  entry: ErrorEntry;
}

/** `2024-01-01 00:00:00Z`, the format Entra prints. */
export function entraTimestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

function fillMessage(message: string, params: Record<string, string | undefined> = {}): string {
  return message.replace(/\{([A-Za-z_]+)\}/g, (placeholder, name: string) => params[name] ?? placeholder);
}

export interface ErrorContext {
  /** The client's `client-request-id`, which Entra echoes as the correlation id. */
  correlationId?: string;
  /** Origin of the tenant's `/error?code=` page. */
  errorPageOrigin: string;
}

export function renderEntraError(catalog: ErrorCatalog, error: EntraError, context: ErrorContext): RenderedEntraError {
  const entry = catalog.entry(error.code);
  const number = Number(error.code.slice('AADSTS'.length));
  const summary = `${error.code}: ${error.filledMessage ?? fillMessage(entry.message, error.params)}`;
  const timestamp = entraTimestamp();
  const traceId = randomUUID();
  const correlationId = context.correlationId && /^[\w-]{1,64}$/.test(context.correlationId) ? context.correlationId : randomUUID();
  const oauthError = error.error ?? entry.error;
  return {
    status: error.status ?? entry.status ?? (oauthError === 'invalid_client' ? 401 : 400),
    summary,
    entry,
    body: {
      error: oauthError,
      error_description: `${summary}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [number],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${context.errorPageOrigin}/error?code=${number}`,
    },
  };
}
