/**
 * The client-credentials run as the widget shows it: what the daemon route returned, turned into
 * step texts. The run itself happens on the server (servers/daemon); these are only the shapes.
 */
import type { BreakIt, CredentialKind, RunResult, RunStep } from '../../flows/client-credentials/contract.ts';

export type { BreakIt, CredentialKind, RunResult, RunStep };

export const BREAK_IT_LABELS: Record<BreakIt, { button: string; what: string }> = {
  'wrong-secret': { button: 'Wrong secret', what: 'The daemon sends a client secret the app registration never issued.' },
  'scope-without-default': {
    button: 'Scope without /.default',
    what: 'The daemon asks for a named scope (…/Tasks.Read) instead of {App ID URI}/.default.',
  },
  'expired-certificate': {
    button: 'Expired certificate',
    what: 'The daemon signs its client assertion with a certificate that expired yesterday.',
  },
};

/** The request as it went on the wire, one `name=value` per line (the secret already masked by the server). */
export function formatForm(form: Record<string, string>): string {
  return Object.entries(form)
    .map(([name, value]) => `${name}=${name === 'client_assertion' ? `${value.slice(0, 24)}… (decoded below)` : value}`)
    .join('\n');
}

export function stepHeadline(step: RunStep): string {
  const status = step.exchange?.status;
  if (step.status === 'skipped') return `${step.title}: skipped`;
  if (step.id === 'token-request')
    return `${step.title}: ${step.exchange ? `POST …${new URL(step.exchange.url).pathname.replace(/^\/[^/]+/, '')}` : 'not sent'}`;
  if (step.id === 'token-response')
    return `${step.title}: ${status ?? '—'}${step.error?.code ? ` ${step.error.code}` : status === 200 ? ' access token issued' : ''}`;
  return `${step.title} → ${status ?? 'no answer'}`;
}
