/**
 * A recorded run (`content/captures/{flow}.json`) as a static page replays it: each leg's title, the
 * diagram steps it carries, who answered, the request line and status, and the fields sent and
 * received, origins named by role (src/contracts/captureOrigins.ts) so a page on a web host shows no
 * URL of the reader's own machine. Pure.
 */
import { type LabOrigins, nameOriginsByRole } from '../../contracts/captureOrigins.ts';
import type { FlowCapture } from '../../contracts/captures.ts';

export interface ReplayLeg {
  title: string;
  steps: string[];
  /** Who answered: the sandbox tenant, the sample API, or another host. */
  answeredBy: string;
  /** `POST /…/oauth2/v2.0/token`, query string cut. */
  requestLine: string;
  status: number;
  /** Form fields (or the query) sent, masked as captured. */
  sent?: Record<string, unknown>;
  /** JSON received (masked), or the page's one-line summary. */
  received?: unknown;
}

export function replayLegs(capture: FlowCapture, origins: LabOrigins): ReplayLeg[] {
  return capture.legs.map((leg) => {
    const url = new URL(leg.request.url);
    const host = url.host;
    const answeredBy = host === new URL(origins.api).host ? 'Sample API' : host === new URL(origins.tenant).host ? 'Sandbox tenant' : host;
    return nameOriginsByRole(
      {
        title: leg.title,
        steps: leg.steps,
        answeredBy,
        requestLine: `${leg.request.method} ${url.pathname}${url.search ? '?…' : ''}`,
        status: leg.response.status,
        ...(leg.request.body ? { sent: leg.request.body } : url.search ? { sent: Object.fromEntries(url.searchParams) } : {}),
        ...(leg.response.body !== undefined ? { received: leg.response.body } : {}),
      },
      origins,
    );
  });
}
