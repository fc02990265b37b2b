/**
 * What the Profile API knows about each user of the sandbox tenant, keyed by (`tid`, `oid`) as every
 * API should key user data (never by `sub`, which is pairwise per app, nor by a name).
 */
import { type SandboxUserName, sandboxUsers } from '../../src/config/sandbox.ts';

export interface Profile {
  oid: string;
  displayName: string;
  userPrincipalName: string;
  jobTitle: string;
  officeLocation: string;
}

const DETAILS: Record<SandboxUserName, Pick<Profile, 'jobTitle' | 'officeLocation'>> = {
  alice: { jobTitle: 'Product manager', officeLocation: 'Building 2, room 118' },
  bob: { jobTitle: 'Developer', officeLocation: 'Building 4, room 301' },
};

/** The profile of a user of `tenantId`, or undefined for anyone else (another tenant, an unknown oid). */
export function findProfile(tenantId: string, tid: string, oid: string): Profile | undefined {
  if (tid !== tenantId) return undefined;
  const key = (Object.keys(sandboxUsers) as SandboxUserName[]).find((name) => sandboxUsers[name].oid === oid);
  if (!key) return undefined;
  const user = sandboxUsers[key];
  return { oid: user.oid, displayName: user.name, userPrincipalName: user.preferredUsername, ...DETAILS[key] };
}
