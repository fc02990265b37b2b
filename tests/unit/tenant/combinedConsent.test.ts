/**
 * Combined consent's trigger (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow#default-and-combined-consent):
 * a known client of the middle tier asking for the middle tier's /.default. The mark is the tenant's
 * own and cannot be set by the browser.
 */
import { describe, expect, it } from 'vitest';
import { COMBINED_CONSENT_PARAM, markCombinedConsent } from '../../../servers/tenant/combinedConsent.ts';
import { buildDirectory } from '../../../servers/tenant/directory.ts';
import { loadLabConfig } from '../../../src/config/lab.ts';
import { sandboxApps } from '../../../src/config/sandbox.ts';

const config = loadLabConfig({});
const directory = buildDirectory(config, {} as never);
const query = (scope: string, clientId: string = sandboxApps.spa.clientId, extra: Record<string, string> = {}) =>
  new URLSearchParams({ client_id: clientId, scope, ...extra });

describe('combined consent is asked for', () => {
  it('when the SPA (a known client of the Tasks API) asks for the Tasks API’s /.default, by App ID URI or client ID', () => {
    for (const scope of [`openid ${sandboxApps.api.appIdUri}/.default`, `openid ${sandboxApps.api.clientId}/.default`]) {
      const q = query(scope);
      markCombinedConsent(directory, q);
      expect(q.get(COMBINED_CONSENT_PARAM), scope).toBe(sandboxApps.api.clientId);
    }
  });

  it('not for the Tasks API’s named scopes: combined consent takes /.default', () => {
    const q = query(`openid ${sandboxApps.api.appIdUri}/Tasks.Read`);
    markCombinedConsent(directory, q);
    expect(q.has(COMBINED_CONSENT_PARAM)).toBe(false);
  });

  it('not for a client the Tasks API does not list in knownClientApplications, and never because the browser said so', () => {
    const q = query(`openid ${sandboxApps.api.appIdUri}/.default`, sandboxApps.daemon.clientId, {
      [COMBINED_CONSENT_PARAM]: sandboxApps.api.clientId,
    });
    markCombinedConsent(directory, q);
    expect(q.has(COMBINED_CONSENT_PARAM)).toBe(false);
  });
});
