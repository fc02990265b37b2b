/**
 * The "no lab" fallback's pure parts: when a widget can run, how a recorded run (content/captures/)
 * becomes replay legs with the lab's origins named by role, and how the replay steps through it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLabConfig, publicConfig } from '../../../src/config/lab.ts';
import { nameOriginsByRole, recordedOrigins } from '../../../src/contracts/captureOrigins.ts';
import { type FlowCapture, flowCaptureSchema } from '../../../src/contracts/captures.ts';
import { applyBrowserSettings } from '../../../src/widgets/lab-config/browserSettings.ts';
import { labCanRun } from '../../../src/widgets/no-lab/labNeeds.ts';
import { replayLegs } from '../../../src/widgets/no-lab/replayLegs.ts';
import { isFinished, litSteps, nextLeg, startReplay } from '../../../src/widgets/no-lab/replayState.ts';
import { tenantBadgeView } from '../../../src/widgets/settings/tenantBadge.ts';

const capture = (flow: string): FlowCapture => flowCaptureSchema.parse(JSON.parse(readFileSync(`content/captures/${flow}.json`, 'utf8')));
const TENANT = '0a1b2c3d-0000-4000-8000-00000000abcd';
const CLIENT = '1a1b2c3d-0000-4000-8000-00000000abcd';

describe('labCanRun', () => {
  const staticConfig = publicConfig(loadLabConfig({ LAB_MODE: 'static', LAB_SITE_URL: 'https://owner.github.io' }));

  it('runs every widget on the lab', () => {
    const lab = publicConfig(loadLabConfig({}));
    expect(labCanRun(lab, 'tenant')).toBe(true);
    expect(labCanRun(lab, 'server')).toBe(true);
  });

  it('runs nothing on a static site until the reader names a tenant; then only what the browser alone can run', () => {
    expect(labCanRun(staticConfig, 'tenant')).toBe(false);
    const own = applyBrowserSettings(staticConfig, { tenantId: TENANT, spaClientId: CLIENT });
    expect(own.mode).toBe('real');
    expect(own.tenant.authority).toBe(`https://login.microsoftonline.com/${TENANT}`);
    expect(labCanRun(own, 'tenant')).toBe(true);
    expect(labCanRun(own, 'server')).toBe(false);
    expect(labCanRun(undefined, 'tenant')).toBe(false);
  });

  it('the header badge says there is no tenant until the reader names theirs', () => {
    const build = { mode: 'static' as const, tenantId: 'organizations', authorityOrigin: 'https://login.microsoftonline.com' };
    expect(tenantBadgeView(build, {}).text).toBe('No tenant · recorded runs');
    expect(tenantBadgeView(build, { tenantId: TENANT, spaClientId: CLIENT }).text).toBe('Real tenant · 0a1b2c3d…');
  });
});

describe('replayLegs', () => {
  for (const flow of ['auth-code-pkce', 'client-credentials']) {
    it(`${flow}: every recorded leg, in order, with no loopback URL left`, () => {
      const recorded = capture(flow);
      const legs = replayLegs(recorded, recordedOrigins());
      expect(legs.map((l) => l.title)).toEqual(recorded.legs.map((l) => l.title));
      expect(legs.map((l) => l.steps)).toEqual(recorded.legs.map((l) => l.steps));
      expect(JSON.stringify(legs)).not.toMatch(/localhost|127\.0\.0\.1/);
    });
  }

  it('says who answered, and cuts the query from the request line (its fields are listed as sent)', () => {
    const legs = replayLegs(capture('auth-code-pkce'), recordedOrigins());
    const authorize = legs[0];
    expect(authorize?.answeredBy).toBe('Sandbox tenant');
    expect(authorize?.requestLine).toMatch(/^GET \/[0-9a-f-]+\/oauth2\/v2\.0\/authorize\?…$/);
    expect(authorize?.sent).toMatchObject({ code_challenge_method: 'S256', redirect_uri: 'http://lab-site.invalid/redirect.html' });
    expect(legs.at(-1)?.answeredBy).toBe('Sample API');
  });

  it('names https and URL-encoded origins by role too (the sandbox issuer is https-labelled)', () => {
    const origins = recordedOrigins();
    const https = origins.tenant.replace('http:', 'https:');
    expect(nameOriginsByRole({ iss: `${https}/t/v2.0`, r: encodeURIComponent(`${origins.site}/x`) })).toEqual({
      iss: 'https://sandbox-tenant.invalid/t/v2.0',
      r: encodeURIComponent('http://lab-site.invalid/x'),
    });
  });
});

describe('replayState', () => {
  it('plays one leg per step, lights the diagram steps played so far, and stops at the last', () => {
    let state = startReplay([['a'], ['b', 'c'], ['d']]);
    expect(litSteps(state).seen.size).toBe(0);
    state = nextLeg(nextLeg(state));
    expect([...litSteps(state).seen]).toEqual(['a', 'b', 'c']);
    expect([...litSteps(state).current]).toEqual(['b', 'c']);
    state = nextLeg(state);
    expect(isFinished(state)).toBe(true);
    expect(nextLeg(state)).toBe(state);
  });
});
