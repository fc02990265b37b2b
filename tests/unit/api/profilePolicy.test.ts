/**
 * One validation pipeline, two APIs: the Profile API's policy is the Tasks API's with its own audience
 * and App ID URI, and a token for one is refused by the other at the audience step.
 */
import { describe, expect, it } from 'vitest';
import { tokenPolicyFromConfig } from '../../../servers/api/verify/policy.ts';
import { loadLabConfig } from '../../../src/config/lab.ts';
import { sandboxApps } from '../../../src/config/sandbox.ts';

const profile = { clientId: sandboxApps.profileApi.clientId, appIdUri: sandboxApps.profileApi.appIdUri };

describe('tokenPolicyFromConfig for another resource (the Profile API)', () => {
  it('keeps issuer, tenants and clock, and swaps the audience for the resource’s client ID', () => {
    const config = loadLabConfig({});
    const tasks = tokenPolicyFromConfig(config);
    const downstream = tokenPolicyFromConfig(config, profile);
    expect(downstream.validIssuers).toEqual(tasks.validIssuers);
    expect(downstream.clockSkewSeconds).toBe(tasks.clockSkewSeconds);
    expect(downstream.acceptedAudiences).toEqual([profile.clientId]);
    expect(downstream.appIdUri).toBe(profile.appIdUri);
    expect(tasks.acceptedAudiences).not.toContain(profile.clientId);
  });

  it('follows LAB_API_ACCEPT_APP_ID_URI: the resource’s own App ID URI, never the Tasks API’s', () => {
    const downstream = tokenPolicyFromConfig(loadLabConfig({ LAB_API_ACCEPT_APP_ID_URI: 'true' }), profile);
    expect(downstream.acceptedAudiences).toEqual([profile.clientId, profile.appIdUri]);
  });
});
