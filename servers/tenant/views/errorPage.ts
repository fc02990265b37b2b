/**
 * The error page Entra shows when it must not redirect back to the app (an unregistered
 * redirect URI, an unknown app or tenant): the AADSTS message and the ids a support engineer
 * asks for, plus the lab catalog's cause and fix.
 */
import type { ErrorEntry } from '../../../src/data/schemas.ts';
import { html } from './html.ts';
import { renderPage } from './layout.ts';

export interface ErrorPageView {
  tenantLabel: string;
  /** `AADSTS50011: The redirect URI …` */
  summary: string;
  traceId: string;
  correlationId: string;
  timestamp: string;
  entry?: ErrorEntry;
}

export function renderErrorPage(view: ErrorPageView): string {
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
