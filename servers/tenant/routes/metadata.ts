/** The discovery document and the JWKS, in Entra's shapes (../discovery.ts), with their protocol events. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { requestFacts, type TenantContext } from '../context.ts';
import { discoveryDocument, endpointsFor, jwksDocument, METADATA_HEADERS } from '../discovery.ts';
import { sendJson } from './answers.ts';

export function sendMetadata(tenant: TenantContext, req: IncomingMessage, res: ServerResponse, url: URL, kind: 'discovery' | 'jwks'): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, { error: 'invalid_request', error_description: 'Only GET is supported here.' }, { Allow: 'GET, HEAD' });
    return;
  }
  const overTls = (req.socket as TLSSocket).encrypted === true;
  const body =
    kind === 'discovery'
      ? discoveryDocument(tenant.config, endpointsFor(tenant.config, overTls))
      : jwksDocument(tenant.config, tenant.keys);
  res.writeHead(200, METADATA_HEADERS);
  res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
  const facts = requestFacts(req);
  tenant.events.publish({
    name: kind === 'discovery' ? 'discovery.fetch' : 'jwks.fetch',
    leg: kind === 'discovery' ? 'config' : 'jwks',
    sessionId: facts.sessionId,
    summary: `GET ${url.pathname}`,
    http: { method: req.method, path: url.pathname, status: 200 },
    detail: kind === 'jwks' ? { kids: (body as { keys: { kid: string }[] }).keys.map((k) => k.kid) } : undefined,
  });
}
