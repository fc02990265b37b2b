/**
 * The error page Entra shows when it must not redirect back to the app (an unregistered
 * redirect URI, an unknown app or tenant): the AADSTS message and the ids a support engineer
 * asks for, plus the lab catalog's cause and fix.
 */
import type { ErrorEntry } from '../../../src/data/schemas.ts';
import type { RenderedEntraError } from '../entraErrors.ts';
import { html } from './html.ts';
import { renderPage } from './layout.ts';

interface ErrorPageView {
  tenantLabel: string;
  /** `AADSTS50011: The redirect URI …` */
  summary: string;
  traceId: string;
  correlationId: string;
  timestamp: string;
  entry?: ErrorEntry;
}

/** The page for an error the tenant rendered (../entraErrors.ts): the same ids its JSON body carries. */
export function renderEntraErrorPage(tenantLabel: string, rendered: Pick<RenderedEntraError, 'summary' | 'body' | 'entry'>): string {
  return renderErrorPage({
    tenantLabel,
    summary: rendered.summary,
    traceId: rendered.body.trace_id,
    correlationId: rendered.body.correlation_id,
    timestamp: rendered.body.timestamp,
    entry: rendered.entry,
  });
}

function renderErrorPage(view: ErrorPageView): string {
  return renderPage({
    title: 'Sign-in error',
    tenantLabel: view.tenantLabel,
    body: html`<h1>Sorry, but we're having trouble signing you in.</h1>
<p class="error" role="alert">${view.summary}</p>
<h2>Troubleshooting details</h2>
<dl class="details">
<dt>Request Id</dt><dd><code>${view.traceId}</code></dd>
<dt>Correlation Id</dt><dd><code>${view.correlationId}</code></dd>
<dt>Timestamp</dt><dd>${view.timestamp}</dd>
</dl>
${
  view.entry
    ? html`<div class="hint">
<p><strong>Why (from the lab's error catalog):</strong> ${view.entry.cause}</p>
<p><strong>Fix:</strong> ${view.entry.fix}</p>
</div>`
    : ''
}`,
  });
}
