/**
 * On-behalf-of's wire contract: what the Tasks API's `GET /api/me/profile` answers (servers/api/
 * onBehalfOf.ts) and the on-behalf-of widget reads. The middle tier is a confidential client, so
 * its legs run on the server; the page gets the record of each leg with the secret masked and every
 * token shortened (its claims decoded, never its signature).
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow
 */
import type { EntraError } from '../../protocol/aadstsError.ts';

export const FLOW = 'on-behalf-of';

/** The scope the SPA asks for so the consent covers what the Tasks API calls downstream (combined consent). */
export const combinedConsentScope = (apiAppIdUri: string): string => `${apiAppIdUri}/.default`;

/** One leg as the middle tier saw it, already masked. `id` is the flow step it belongs to. */
export interface OnBehalfOfLeg {
  id: 'obo-request' | 'obo-response' | 'obo-cache' | 'downstream-call' | 'downstream-response';
  title: string;
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  form?: Record<string, unknown>;
  status?: number;
  body?: unknown;
}

export type OnBehalfOfRun =
  | { ok: true; fromCache: boolean; profile: unknown; legs: OnBehalfOfLeg[] }
  | { ok: false; step: 'obo' | 'downstream'; legs: OnBehalfOfLeg[]; error: EntraError };

/** `GET /api/me/profile`'s JSON answer, success or failure: who called, and each leg the Tasks API ran. */
export interface MeProfileAnswer {
  caller?: { oid: string; tid: string; azp?: string; scp: string[] };
  profile?: unknown;
  /** The Profile API token came from MSAL Node's cache: no request reached the tenant this time. */
  fromCache?: boolean;
  legs: OnBehalfOfLeg[];
  error?: string;
  error_description?: string;
  /** The AADSTS code when the tenant refused the exchange. */
  code?: string;
  fix?: string;
}
