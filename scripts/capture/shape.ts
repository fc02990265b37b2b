import type { FlowCapture } from '../../src/contracts/captures.ts';

/** What must stay the same between two captures: everything but the volatile values. */
export function captureShape(capture: FlowCapture) {
  const path = (url: string) =>
    new URL(url).pathname
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{guid}')
      .replace(/\/interaction\/[^/]+/, '/interaction/{uid}')
      // oidc-provider resumes an authorize request at /authorize/{uid}.
      .replace(/\/authorize\/[^/]+$/, '/authorize/{uid}');
  const keys = (value: unknown) => (value && typeof value === 'object' ? Object.keys(value).sort() : typeof value);
  return {
    flow: capture.flow,
    legs: capture.legs
      .filter((leg) => !leg.optional)
      .map((leg) => ({
        steps: leg.steps,
        method: leg.request.method,
        path: path(leg.request.url),
        query: [...new URL(leg.request.url).searchParams.keys()].sort(),
        requestHeaders: Object.keys(leg.request.headers)
          .filter((h) => h !== 'Cookie')
          .sort(),
        requestBody: keys(leg.request.body),
        status: leg.response.status,
        responseHeaders: Object.keys(leg.response.headers)
          .filter((h) => h !== 'set-cookie')
          .sort(),
        responseBody: keys(leg.response.body),
      })),
    tokens: Object.fromEntries(
      Object.entries(capture.tokens).map(([name, token]) => [
        name,
        { header: Object.keys(token.header).sort(), claims: Object.keys(token.claims).sort() },
      ]),
    ),
  };
}
