/**
 * Two checks every lab server makes before anything else, against DNS rebinding and cross-site
 * requests (a web page that points its own host name at 127.0.0.1 is "same-origin" with the lab
 * in the browser's eyes, so CORS alone does not stop it):
 *
 * - **Host**: a request must name the server as the lab does (its configured origin's host name, or
 *   a loopback name). Anything else is answered `421 Misdirected Request`
 *   (RFC 9110 §15.5.20) and never reaches a route.
 * - **Origin**: a state-changing route (run the daemon, reset the workshop, rotate keys) answers
 *   only to the origins that may drive it; a missing or foreign `Origin` is `403`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The host names (without port) a server at `origin` answers to: its configured host and the
 * loopback names. A rebinding page can only send a name its owner controls, never one of these,
 * so any port is fine (tests and benches run servers on free ports).
 */
export function expectedHosts(origin: string): Set<string> {
  return new Set([new URL(origin).hostname.toLowerCase(), ...LOOPBACK_NAMES]);
}

/** The host name of a `Host` header value: `name`, `name:port`, `[v6]` or `[v6]:port`. */
function hostName(host: string): string {
  const value = host.trim().toLowerCase();
  return value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : (value.split(':')[0] ?? '');
}

/** Why a request's `Host` is not this server's, or `undefined` when it is. */
export function hostProblem(host: string | undefined, expected: Set<string>): string | undefined {
  if (!host) return 'The request has no Host header.';
  if (expected.has(hostName(host))) return undefined;
  return `This server answers to ${[...expected].join(', ')}, not to Host "${host.slice(0, 100)}". A web page that points its own host name at this computer (DNS rebinding) cannot use the lab.`;
}

/** Answers `421` for a foreign `Host`; returns whether it did. */
export function refuseForeignHost(req: IncomingMessage, res: ServerResponse, expected: Set<string>): boolean {
  const problem = hostProblem(req.headers.host, expected);
  if (!problem) return false;
  res.writeHead(421, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(JSON.stringify({ error: 'misdirected_request', error_description: problem }));
  return true;
}

/** Wraps a request listener with the Host check of a server at `origin`. */
export function guardHost<Req extends IncomingMessage, Res extends ServerResponse>(
  origin: string,
  listener: (req: Req, res: Res) => void,
): (req: Req, res: Res) => void {
  const expected = expectedHosts(origin);
  return (req, res) => {
    if (!refuseForeignHost(req, res, expected)) listener(req, res);
  };
}

/** Why a state-changing request may not run, or `undefined` when its `Origin` is one of `allowed`. */
export function originProblem(origin: string | undefined | null, allowed: readonly string[], what: string): string | undefined {
  if (origin && allowed.includes(origin)) return undefined;
  return `${what} answers only to ${allowed.join(' or ')} (the Origin header); this request ${origin ? `came from ${origin.slice(0, 100)}` : 'has no Origin header'}.`;
}
