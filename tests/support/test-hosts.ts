/**
 * Test-only DNS: every `*.test` host name (RFC 6761 §6.2 reserves `.test` for testing, so it can
 * never name a real machine) resolves to wherever `localhost` does, without touching /etc/hosts.
 * The real-tenant rehearsal serves a tenant at `login.entra-lab.test` this way.
 *
 * Node resolves host names for sockets through `dns.lookup` (net.connect, node:https, and the
 * undici behind global `fetch`, which MSAL Node's network client uses), so wrapping it is enough;
 * tests/integration/test-hosts.test.ts and real-tenant.test.ts check each of those clients
 * rather than assuming it.
 *
 * In-process: `import './test-hosts.ts'` installs it. Child processes: start them with
 * `NODE_OPTIONS=--import <this file's URL>` (see `testHostsNodeOptions`). Chromium has its own
 * resolver: `--host-resolver-rules` (tests/support/rehearsal-tenant.ts).
 */
import dns from 'node:dns';

/** RFC 6761 §6.2: `.test` is reserved for testing. */
export function isTestHostName(hostname: string): boolean {
  return /\.test\.?$/i.test(hostname);
}

type LookupFunction = (hostname: string, ...rest: unknown[]) => unknown;
const INSTALLED = Symbol.for('entra-flows-lab.test-hosts');

/** Wraps `dns.lookup` and `dns.promises.lookup` once per process; any other name resolves as before. */
export function installTestHosts(): void {
  const target = dns as unknown as Record<symbol, boolean> & { lookup: LookupFunction; promises: { lookup: LookupFunction } };
  if (target[INSTALLED]) return;
  target[INSTALLED] = true;
  const lookup = target.lookup;
  target.lookup = function testHostsLookup(hostname: string, ...rest: unknown[]) {
    return lookup.call(dns, typeof hostname === 'string' && isTestHostName(hostname) ? 'localhost' : hostname, ...rest);
  };
  const promisesLookup = target.promises.lookup;
  target.promises.lookup = function testHostsLookup(hostname: string, ...rest: unknown[]) {
    return promisesLookup.call(dns.promises, typeof hostname === 'string' && isTestHostName(hostname) ? 'localhost' : hostname, ...rest);
  };
}

/** `NODE_OPTIONS` that loads this module first in a child Node process (keeping any options already set). */
export function testHostsNodeOptions(existing = process.env.NODE_OPTIONS): string {
  return [existing, `--import=${import.meta.url}`].filter(Boolean).join(' ');
}

installTestHosts();
