/**
 * Which kinds of token carry a claim, derived from its `in`, `delegated` and `appOnly` fields,
 * for the columns of the claims matrix.
 */
import type { Claim } from '../../data/schemas.ts';

export type Presence = 'yes' | 'optional' | 'no';

export interface ClaimPresence {
  idToken: Presence;
  accessTokenUser: Presence;
  accessTokenApp: Presence;
}

export function claimPresence(claim: Claim): ClaimPresence {
  // A claim with a `when` is there only under that condition (a scope, an optional claim…).
  const level = (present: boolean): Presence => (!present ? 'no' : claim.when ? 'optional' : 'yes');
  const inAccessToken = claim.in.includes('access-token');
  return {
    idToken: level(claim.in.includes('id-token')),
    accessTokenUser: level(inAccessToken && claim.delegated),
    accessTokenApp: level(inAccessToken && claim.appOnly),
  };
}

/** Claims of client assertions only (not of tokens Entra issues). */
export function isClientAssertionClaim(claim: Claim): boolean {
  return claim.in.includes('client-assertion');
}
