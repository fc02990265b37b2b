/**
 * The recorded runs (`content/captures/`) carry the lab's default origins (`http://localhost:4400`
 * …), as scripts/capture-legs.ts writes them. A static build (`LAB_MODE=static`) shows the same runs
 * on a web host, where a reader's `localhost` is not the lab: there each origin is named by its role
 * under the reserved `.invalid` top-level domain (RFC 2606 §2), e.g. `http://sandbox-tenant.invalid`,
 * so the URLs still parse and plainly point nowhere. Pure.
 */
import { type LabConfig, loadLabConfig } from '../config/lab.ts';

export interface LabOrigins {
  site: string;
  tenant: string;
  api: string;
}

const ROLE_HOST = { tenant: 'sandbox-tenant.invalid', api: 'sample-api.invalid', site: 'lab-site.invalid' } as const;

/** The origins the captures were written with: the sandbox's defaults. */
export function recordedOrigins(): LabOrigins {
  const defaults = loadLabConfig({ LAB_MODE: 'sandbox' });
  return { site: defaults.siteOrigin, tenant: defaults.tenantOrigin, api: defaults.apiOrigin };
}

/** Replaces each lab origin (http or https, and URL-encoded) in every string of `value` by its role. */
export function nameOriginsByRole<T>(value: T, origins: LabOrigins = recordedOrigins()): T {
  const pairs: [string, string][] = [];
  for (const role of ['tenant', 'api', 'site'] as const) {
    for (const scheme of ['http', 'https']) {
      const origin = `${scheme}://${new URL(origins[role]).host}`;
      const named = `${scheme}://${ROLE_HOST[role]}`;
      pairs.push([origin, named], [encodeURIComponent(origin), encodeURIComponent(named)]);
    }
  }
  const rewrite = (text: string) => pairs.reduce((acc, [from, to]) => acc.split(from).join(to), text);
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'string' ? rewrite(v) : v))) as T;
}

/** A capture as this build shows it: as recorded for the lab, origins named by role for a static host. */
export function capturedForSite<T>(value: T, config: Pick<LabConfig, 'mode'>): T {
  return config.mode === 'static' ? nameOriginsByRole(value) : value;
}
