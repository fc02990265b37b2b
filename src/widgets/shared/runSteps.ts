/**
 * How the daemon widgets (client credentials, workload identity) show the steps a server-side run
 * reports: each step as a list item with its HTTP messages, and the first failure as an error card
 * (an AADSTS code explained from the catalog, or the run's own note).
 */
import type { EntraError } from '../../protocol/aadstsError.ts';
import { type Child, h, part } from './dom.ts';
import { renderError } from './errorCard.ts';
import { type CatalogEntry, explainError } from './errorCatalog.ts';

export interface ReportedStep {
  id: string;
  status: 'ok' | 'failed' | 'skipped';
  exchange?: { status?: number };
  error?: EntraError;
  note?: string;
}

/** One HTTP message (request lines, a form, a JSON body), scrollable and reachable with the keyboard. */
export const httpMessage = (text: string) => h('pre', { class: 'http-message', tabindex: '0' }, text);

/** A request's first line and headers. */
export const requestLines = (x: { method: string; url: string; headers?: Record<string, string> }) =>
  [`${x.method} ${x.url}`, ...Object.entries(x.headers ?? {}).map(([k, v]) => `${k}: ${v}`)].join('\n');

/** The step as a list item: its headline (marked when it failed), its messages, its note. */
export function stepItem(step: ReportedStep, headline: string, messages: Child[]): HTMLLIElement {
  return h(
    'li',
    { 'data-step': step.id, 'data-status': step.status, ...(step.exchange?.status ? { 'data-http': String(step.exchange.status) } : {}) },
    h('p', { class: 'headline' }, h('strong', {}, headline), step.status === 'failed' ? ' (failed)' : ''),
    ...messages,
    step.note ? h('p', { class: 'note' }, step.note) : null,
  );
}

/**
 * The run's first failure as the widget's error card. `expected` failures are the lesson, not a
 * problem (the daemon's write refused with 403), and get no card.
 */
export function showRunFailure(
  widget: HTMLElement,
  catalog: CatalogEntry[],
  steps: ReportedStep[],
  expected: (step: ReportedStep) => boolean = () => false,
): void {
  const failed = steps.find((step) => step.error?.code || step.status === 'failed');
  if (!failed) return;
  if (failed.error?.code) {
    renderError(
      part(widget, 'error'),
      explainError(catalog, failed.error.code, failed.error.error ?? 'Token request refused', failed.error.description),
    );
  } else if (!expected(failed)) {
    const title = failed.error?.error ? `The token request failed (${failed.error.error})` : 'The run stopped';
    renderError(part(widget, 'error'), { title, detail: failed.note ?? failed.error?.description ?? '', known: false });
  }
}
