/**
 * oidc-provider prints "already parsed request body detected" the first time it meets a token
 * request whose body the tenant has already read. The tenant reads it on purpose: Entra's client
 * authentication and request rules (./tokenRequest.ts) must run before oidc-provider's, and the
 * checked parameters are then handed over as `req.body`, which oidc-provider supports. The notice
 * would only confuse a workshop audience, so exactly that line is dropped; every other warning
 * still reaches the console.
 */
const EXPECTED_NOTICE = 'oidc-provider WARNING: already parsed request body detected';

let installed = false;

export function quietExpectedNotices(): void {
  if (installed) return;
  installed = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    // The notice may be wrapped in terminal colour codes, so look for it anywhere in the line.
    if (typeof args[0] === 'string' && args[0].includes(EXPECTED_NOTICE)) return;
    warn(...args);
  };
}
