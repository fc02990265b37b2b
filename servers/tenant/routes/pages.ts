/** The tenant's own pages: its home page, and `/error?code=N`, what an AADSTS code means (Entra's `error_uri`). */
import type { ServerResponse } from 'node:http';
import { authorityEndpoints } from '../../../src/config/lab.ts';
import type { TenantContext } from '../context.ts';
import { html } from '../views/html.ts';
import { PAGE_SECURITY_HEADERS, renderPage } from '../views/layout.ts';
import { sendJson } from './answers.ts';

export function sendHome(tenant: TenantContext, res: ServerResponse): void {
  res.writeHead(200, { ...PAGE_SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
  res.end(
    renderPage({
      title: 'Sandbox tenant',
      tenantLabel: tenant.tenantLabel,
      body: html`<h1>Sandbox tenant</h1>
<p>An OpenID Connect server shaped like Microsoft Entra ID v2, for the lab. Apps reach it through these endpoints:</p>
<dl class="details">
<dt>Authority</dt><dd><code>${tenant.config.tenant.authority}</code></dd>
<dt>Discovery</dt><dd><a href="${tenant.config.tenant.discovery}"><code>${tenant.config.tenant.discovery}</code></a></dd>
<dt>Keys</dt><dd><a href="${tenant.config.tenant.jwks}"><code>${tenant.config.tenant.jwks}</code></a></dd>
<dt>Discovery over TLS, for your own app</dt><dd><code>${authorityEndpoints(tenant.config).discovery}</code> (trust the lab's CA, <code>.lab/ca/ca.pem</code>)</dd>
</dl>`,
    }),
  );
}

export function sendErrorCodePage(tenant: TenantContext, res: ServerResponse, url: URL): void {
  const code = url.searchParams.get('code') ?? '';
  const entry = /^\d{4,7}$/.test(code) ? tenant.catalog.find(`AADSTS${code}`) : undefined;
  if (!entry) {
    sendJson(res, 404, { error: 'not_found', error_description: `AADSTS${code} is not in the lab's error catalog.` });
    return;
  }
  res.writeHead(200, { ...PAGE_SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
  res.end(
    renderPage({
      title: entry.id,
      tenantLabel: tenant.tenantLabel,
      body: html`<h1>${entry.id}: ${entry.title}</h1>
<p><code>${entry.error}</code> · ${entry.message}</p>
<p><strong>Why:</strong> ${entry.cause}</p>
<p><strong>Fix:</strong> ${entry.fix}</p>`,
    }),
  );
}
