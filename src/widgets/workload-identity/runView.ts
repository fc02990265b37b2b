/**
 * The workload-identity run as the widget shows it: button labels for each thing to break, step
 * headlines, and the request lines. The run itself happens on the server (servers/daemon); these are
 * only the shapes, without a DOM.
 */
import type { WorkloadBreakIt, WorkloadRunResult, WorkloadRunStep } from '../../flows/workload-identity/contract.ts';

export type { WorkloadBreakIt, WorkloadRunResult, WorkloadRunStep };

export const WORKLOAD_BREAK_LABELS: Record<WorkloadBreakIt, { button: string; what: string }> = {
  'wrong-issuer': { button: 'Wrong issuer', what: 'The token’s iss has a trailing slash: another issuer, as far as Entra is concerned.' },
  'wrong-subject': {
    button: 'Wrong subject',
    what: 'The job ran on main without its environment, so GitHub’s subject is repo:contoso/tasks-sync:ref:refs/heads/main.',
  },
  'subject-case': {
    button: 'Subject in other case',
    what: 'The subject says Contoso, the credential contoso: Entra compares case-sensitively.',
  },
  'wrong-audience': {
    button: 'Wrong audience',
    what: 'The job asked for its token without an audience and got GitHub’s default, https://github.com/contoso.',
  },
  expired: { button: 'Expired token', what: 'The job presents a token whose exp has passed (a long job that kept its first token).' },
  'forged-signature': {
    button: 'Forged signature',
    what: 'Someone signs the job’s claims with their own key, one the issuer never published.',
  },
};

export function stepHeadline(step: WorkloadRunStep): string {
  const status = step.exchange?.status;
  if (step.status === 'skipped') return `${step.title}: skipped`;
  if (step.id === 'workload-token') return `${step.title} → ${status ?? 'no answer'}`;
  if (step.id === 'token-request')
    return `${step.title}: ${step.exchange ? `POST …${new URL(step.exchange.url).pathname.replace(/^\/[^/]+/, '')}` : 'not sent'}`;
  if (step.id === 'token-response')
    return `${step.title}: ${status ?? '—'}${step.error?.code ? ` ${step.error.code}` : status === 200 ? ' access token issued' : ''}`;
  return `${step.title} → ${status ?? 'no answer'}`;
}

/** The request as it went on the wire, one `name=value` per line (the assertion already shortened by the server). */
export function formatForm(form: Record<string, string>): string {
  return Object.entries(form)
    .map(([name, value]) => `${name}=${value}${name === 'client_assertion' ? '  (the workload token, decoded below)' : ''}`)
    .join('\n');
}

/** One line of the status region after a run. */
export function runSummary(result: WorkloadRunResult): string {
  const code = result.steps.find((s) => s.error?.code)?.error?.code;
  const api = result.steps.find((s) => s.id === 'api-call');
  if (result.accessToken)
    return `Entra trusted the job’s token and issued an app-only token${result.tokenMs ? ` (${Math.round(result.tokenMs)} ms)` : ''}. GET /api/tasks → ${api?.exchange?.status ?? '—'}.`;
  return `No token: ${code ?? 'the run failed'}. See the error below.`;
}
