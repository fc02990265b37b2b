/**
 * The live flow tracer's logic, without a DOM: protocol events come in (from the lab's servers over
 * Server-Sent Events, and from widgets on the page), each is matched to a step of a flow from
 * `content/flows/` by its `event` name, and the trace records which steps were seen, in order.
 *
 * Steps no program can observe (the user clicking, the user typing a password into the tenant's
 * page) have no `event`; they are marked *implied* when a later step shows they happened. Steps that
 * have an event but did not produce one before a later step (the sign-in page, when the tenant
 * already had a session) are marked *not observed*.
 */
import type { Flow } from '../../data/schemas.ts';

export type TraceSource = 'browser' | 'tenant' | 'api' | 'daemon' | 'webapp' | 'workload-issuer';
export type StepStatus = 'waiting' | 'seen' | 'implied' | 'not-observed' | 'failed';

export interface TraceMessage {
  line: string;
  fields?: Record<string, string>;
}

/** One observation of a leg, whoever reported it. Everything in it is already masked. */
export interface TraceInput {
  /** A step's `event` (`token.request`), or a step id for browser-only steps (`sign-in-click`). */
  name: string;
  source: TraceSource;
  /** Flow id, when the reporter knows it. */
  flow?: string;
  summary: string;
  error?: { code?: string; error: string; description?: string };
  http?: { method: string; path: string; status?: number };
  detail?: Record<string, unknown>;
  request?: TraceMessage;
  response?: TraceMessage;
  /** Server event id (SSE `id`), to drop a replayed duplicate. */
  eventId?: number;
}

export interface TraceStep {
  id: string;
  label: string;
  event?: string;
}

export interface TraceState {
  flowId: string;
  steps: TraceStep[];
  status: StepStatus[];
  /** What was reported for each step in this run. */
  legs: TraceInput[][];
  /** Index of the last step reached, -1 before the first. */
  cursor: number;
  /** How many runs of the flow started since the page loaded (1 once anything is seen). */
  runs: number;
  seenEventIds: number[];
}

/** Events that report on a step under another name: an error response is still that step's response. */
const ALIASES: Record<string, string> = {
  'token.error': 'token.issued',
  'authorize.error': 'code.issued',
  // Consent is given on the tenant's page after the password: the user's half of the exchange.
  consent: 'sign-in-submit',
};

/**
 * The tenant publishes `sign-in` once the user has submitted the form: the page was shown and the
 * user answered it, so the event-less step that follows (the submission) is seen too.
 */
const ALSO_COMPLETES_NEXT = new Set(['sign-in']);

export function createTrace(flow: Pick<Flow, 'id' | 'steps'>): TraceState {
  const steps = flow.steps.map((s) => ({ id: s.id, label: s.label, event: s.event }));
  return { flowId: flow.id, steps, status: steps.map(() => 'waiting'), legs: steps.map(() => []), cursor: -1, runs: 0, seenEventIds: [] };
}

export interface FlowIds {
  spaClientId: string;
  daemonClientId: string;
  /** The confidential web app's client ID (its legs belong to flow `web-app`); optional for older callers. */
  webappClientId?: string;
}

/** Looks for a claim or parameter anywhere in an event's detail (masked tokens keep their claims). */
export function findInDetail(detail: unknown, name: string, depth = 0): unknown {
  if (!detail || typeof detail !== 'object' || depth > 4) return undefined;
  const record = detail as Record<string, unknown>;
  if (Object.hasOwn(record, name)) return record[name];
  for (const value of Object.values(record)) {
    const found = findInDetail(value, name, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Which flow an event belongs to, when it can be told: the grant type of a token request, the
 * client that asked, or the kind of token the API received. `undefined` when the event does not say.
 */
export function flowOfEvent(input: TraceInput, ids: FlowIds): string | undefined {
  if (input.flow) return input.flow;
  if (input.source === 'daemon') return 'client-credentials';
  if (input.source === 'webapp') return 'web-app';
  // The tenant names the client on its authorize, sign-in and code legs: the web app's are not the SPA's.
  const named = findInDetail(input.detail, 'client_id') ?? findInDetail(input.detail, 'azp');
  if (ids.webappClientId && named === ids.webappClientId) return 'web-app';
  const name = ALIASES[input.name] ?? input.name;
  if (['authorize.request', 'sign-in', 'sign-in-submit', 'code.issued'].includes(name)) return 'auth-code-pkce';
  const grant =
    findInDetail(input.detail, 'grant_type') ??
    /\b(client_credentials|authorization_code|refresh_token|urn:ietf:params:oauth:grant-type:jwt-bearer)\b/.exec(input.summary)?.[1];
  if (grant === 'client_credentials') return 'client-credentials';
  // RFC 7523's jwt-bearer grant is what the middle tier sends for on-behalf-of.
  if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return 'on-behalf-of';
  if (grant === 'authorization_code') return 'auth-code-pkce';
  if (grant === 'refresh_token') return 'refresh';
  const client = findInDetail(input.detail, 'azp') ?? findInDetail(input.detail, 'client_id') ?? findInDetail(input.detail, 'appid');
  if (client === ids.daemonClientId) return 'client-credentials';
  if (client === ids.spaClientId) return 'auth-code-pkce';
  if (findInDetail(input.detail, 'idtyp') === 'app') return 'client-credentials';
  // The API reports an app-only caller with an empty scope list (`scp: []`): no scope, not a user.
  const scp = findInDetail(input.detail, 'scp');
  if (scp !== undefined && !(Array.isArray(scp) && scp.length === 0)) return 'auth-code-pkce';
  if (findInDetail(input.detail, 'roles') !== undefined) return 'client-credentials';
  return undefined;
}

/**
 * Flows that are another flow on the wire: workload identity federation is Client Credentials with
 * a federated client assertion, and its API calls carry an ordinary app-only token. An event that
 * looks like the parent flow only because of that token continues a run of the variant under way.
 */
const VARIANT_OF: Record<string, string> = { 'workload-identity': 'client-credentials' };

function stepIndex(state: TraceState, name: string): number {
  const canonical = ALIASES[name] ?? name;
  const matches = state.steps.flatMap((step, i) => (step.event === canonical || step.id === canonical ? [i] : []));
  return matches.find((i) => i > state.cursor) ?? matches[0] ?? -1;
}

function reset(state: TraceState): TraceState {
  return { ...state, status: state.steps.map(() => 'waiting'), legs: state.steps.map(() => []), cursor: -1 };
}

export interface ApplyResult {
  state: TraceState;
  /** The step this event lit or updated, if it matched one. */
  stepId?: string;
  /** True when the event started a new run of the flow. */
  newRun?: boolean;
}

/**
 * Applies one event to the trace of `state.flowId`. Events of other flows are ignored; events that
 * cannot say which flow they belong to count only as the next steps of a run under way.
 */
export function applyEvent(state: TraceState, input: TraceInput, ids: FlowIds): ApplyResult {
  if (input.eventId !== undefined && state.seenEventIds.includes(input.eventId)) return { state };
  const inferred = flowOfEvent(input, ids);
  const flow = !input.flow && inferred !== undefined && VARIANT_OF[state.flowId] === inferred ? undefined : inferred;
  const index = stepIndex(state, input.name);
  if (index < 0) return { state };
  if (flow !== undefined && flow !== state.flowId) return { state };
  // An event that cannot say which flow it belongs to (an error answer, an API call) only
  // continues a run of this flow that is under way; it never starts or rewinds one.
  // Events reach the page by two roads (the page's own legs at once, the servers' over the stream),
  // so a server's report of a step can arrive after the browser's report of a later one: it then
  // fills in the step it belongs to, which was marked "not observed" in the meantime.
  const lateReport = index < state.cursor && state.status[index] === 'not-observed';
  if (flow === undefined && (state.cursor < 0 || (index <= state.cursor && !lateReport))) return { state };
  let next: TraceState = {
    ...state,
    seenEventIds: input.eventId === undefined ? state.seenEventIds : [...state.seenEventIds.slice(-199), input.eventId],
  };
  let newRun = false;
  // A step already reported by the same source, or a step before the current one reported again
  // by that source, means the flow started over (a second sign-in, a second run)…
  const repeated = index < next.cursor && next.legs[index]?.some((leg) => leg.source === input.source);
  // …except an API call after the token: a client calls the API as often as it likes with one
  // token, so a second call replays the API steps of the same run.
  const tokenIssued = next.steps.findIndex((step) => step.event === 'token.issued');
  if (repeated && tokenIssued >= 0 && index > tokenIssued) {
    next = {
      ...next,
      status: next.status.map((status, j) => (j >= index ? 'waiting' : status)),
      legs: next.legs.map((legs, j) => (j >= index ? [] : legs)),
      cursor: index - 1,
    };
  } else if (repeated || next.cursor === -1 || (index < next.cursor && index === 0)) {
    if (next.cursor !== -1) next = reset(next);
    next = { ...next, runs: next.runs + 1 };
    newRun = true;
  }
  const status = [...next.status];
  const legs = next.legs.map((l) => [...l]);
  if (index > next.cursor) {
    for (let j = next.cursor + 1; j < index; j++) {
      if (status[j] === 'waiting') status[j] = next.steps[j]?.event ? 'not-observed' : 'implied';
    }
  }
  legs[index]?.push(input);
  status[index] = input.error ? 'failed' : status[index] === 'failed' ? 'failed' : 'seen';
  let cursor = Math.max(next.cursor, index);
  const following = next.steps[index + 1];
  if (!input.error && ALSO_COMPLETES_NEXT.has(input.name) && following && !following.event && status[index + 1] === 'waiting') {
    status[index + 1] = 'seen';
    legs[index + 1]?.push(input);
    cursor = Math.max(cursor, index + 1);
  }
  return {
    state: { ...next, status, legs, cursor },
    stepId: next.steps[index]?.id,
    newRun,
  };
}

/** Plain-language status of a step, for the timeline and screen readers. */
export function describeStatus(state: TraceState, index: number): string {
  const status = state.status[index];
  const sources = [...new Set((state.legs[index] ?? []).map((leg) => leg.source))];
  switch (status) {
    case 'seen':
      return `seen by ${sources.join(' and ')}`;
    case 'failed':
      return `failed (seen by ${sources.join(' and ')})`;
    case 'implied':
      return 'implied: no program can observe this step';
    case 'not-observed':
      return 'not observed in this run';
    default:
      return 'waiting';
  }
}
