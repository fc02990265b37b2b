/**
 * CORS for one origin, the lab's site (Fetch standard, "CORS protocol"). Browsers on any other
 * origin get no `Access-Control-Allow-Origin`, so they cannot read the API's answers; non-browser
 * clients send no `Origin` and are unaffected (CORS protects users' browsers, not the API: the
 * bearer token is what protects the API).
 *
 * Written out rather than taken from `hono/cors`, which costs more per request than the whole token
 * check (it builds response objects on every call); here a request without the site's Origin
 * passes through untouched.
 */
import type { MiddlewareHandler } from 'hono';

const ALLOW_METHODS = 'GET, POST';
/** `Authorization` is not CORS-safelisted, so every authorized call from the site is preflighted. */
const ALLOW_HEADERS = 'Authorization, Content-Type, X-Lab-Session';
/** Without this the site could not read why a call was refused (RFC 6750's challenge, Retry-After). */
const EXPOSE_HEADERS = 'WWW-Authenticate, Retry-After';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

export function corsForSite(siteOrigin: string): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== siteOrigin) return next();
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      return new Response(null, {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': ALLOW_METHODS,
          'Access-Control-Allow-Headers': ALLOW_HEADERS,
          'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_SECONDS,
          Vary: 'Origin',
        },
      });
    }
    await next();
    c.res.headers.set('Access-Control-Allow-Origin', origin);
    c.res.headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    c.res.headers.append('Vary', 'Origin');
  };
}
