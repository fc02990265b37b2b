/**
 * What the on-behalf-of widget shows, without a DOM: the answer of `GET /api/me/profile` turned into
 * legs (the SPA's call, then each leg the Tasks API ran, then its answer), and the claims of the two
 * tokens side by side: token A (the SPA's, for the Tasks API) and token B (the Tasks API's, for the
 * Profile API). Unit-tested.
 */
import type { MeProfileAnswer, OnBehalfOfLeg } from '../../flows/on-behalf-of/contract.ts';

export interface LegView {
  /** The flow step it belongs to (content/flows/on-behalf-of.yaml). */
  step: string;
  title: string;
  /** One line: `GET http://…/api/me/profile`, `200`, `POST …/token`. */
  line: string;
  /** What to show below the line, already masked by the server. */
  detail?: unknown;
  failed?: boolean;
}

/** The claims that carry the lesson: who the token is for, who asked for it, what it allows, who it is about. */
export const COMPARED_CLAIMS = ['aud', 'azp', 'scp', 'oid', 'tid', 'sub', 'idtyp', 'azpacr'] as const;

export interface ClaimRow {
  claim: (typeof COMPARED_CLAIMS)[number];
  incoming: string;
  downstream: string;
  same: boolean;
}

const show = (value: unknown): string => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** Claims of a masked token (`{ masked, header, claims }`) found in a leg's form or body. */
function claimsIn(value: unknown): Record<string, unknown> | undefined {
  const claims = (value as { claims?: unknown } | undefined)?.claims;
  return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
}

/** Token A's claims (the assertion the Tasks API sent) and token B's (what the tenant issued), when the answer has them. */
export function tokenClaims(answer: MeProfileAnswer): { incoming?: Record<string, unknown>; downstream?: Record<string, unknown> } {
  const request = answer.legs.find((leg) => leg.id === 'obo-request');
  const issued = answer.legs.find((leg) => leg.id === 'obo-response' || leg.id === 'obo-cache');
  return {
    incoming: claimsIn(request?.form?.assertion),
    downstream: claimsIn((issued?.body as Record<string, unknown> | undefined)?.access_token),
  };
}

export function compareClaims(incoming: Record<string, unknown> | undefined, downstream: Record<string, unknown> | undefined): ClaimRow[] {
  if (!incoming || !downstream) return [];
  return COMPARED_CLAIMS.map((claim) => {
    const a = show(incoming[claim]);
    const b = show(downstream[claim]);
    return { claim, incoming: a, downstream: b, same: a === b };
  });
}

function serverLeg(leg: OnBehalfOfLeg): LegView {
  const step = leg.id === 'obo-cache' ? 'obo-response' : leg.id;
  const line = leg.method ? `${leg.method} ${leg.url ?? ''}` : leg.status !== undefined ? String(leg.status) : 'from the cache, no request';
  const detail = leg.form ?? leg.headers ?? leg.body;
  return { step, title: leg.title, line, detail, failed: leg.status !== undefined && leg.status >= 400 };
}

/** Every leg of one run, in order: the SPA's request, the middle tier's legs, the answer. */
export function describeRun(request: { url: string; shownToken: string }, status: number, answer: MeProfileAnswer): LegView[] {
  const legs: LegView[] = [
    {
      step: 'api-call',
      title: 'The SPA calls the Tasks API',
      line: `GET ${request.url}`,
      detail: { Authorization: `Bearer ${request.shownToken}` },
    },
    ...answer.legs.map(serverLeg),
  ];
  const { legs: _legs, ...rest } = answer;
  legs.push({ step: 'api-response', title: 'The Tasks API answers the SPA', line: String(status), detail: rest, failed: status >= 400 });
  return legs;
}
