/**
 * Plain-English labels for the enum values of the reference data (content/*.yaml), so every
 * reference component words a flow leg, a delivery or a claim's use the same way.
 */
import type { Claim, ErrorEntry, Source, Verification } from '../../data/schemas.ts';

/** Where in a flow an error happens, as a reader would look for it. */
export const legLabel: Record<ErrorEntry['leg'], string> = {
  config: 'Discovery and configuration',
  authorize: 'Authorization request (/authorize)',
  'sign-in': 'Sign-in page',
  consent: 'Consent',
  token: 'Token request (/token)',
  refresh: 'Refreshing tokens (/token)',
  jwks: 'Signing keys (JWKS)',
  api: 'The API validates the token',
};

/** Order of the legs along a flow, used to sort the catalog. */
export const legOrder = Object.keys(legLabel) as ErrorEntry['leg'][];

export const deliveryLabel: Record<NonNullable<ErrorEntry['delivery']>, string> = {
  json: 'JSON body of the token response',
  'error-page': "Entra's own error page (no redirect to the app)",
  redirect: 'error and error_description on the redirect URI',
  'sign-in-page': 'Shown on the sign-in page',
  'www-authenticate': "The API's 401/403 answer (WWW-Authenticate header)",
};

export const useLabel: Record<Claim['use'], string> = {
  validate: 'Must validate',
  authorize: 'Decide access',
  identify: 'Key data by it',
  display: 'Display only',
  ignore: 'Never use',
  client: 'Client checks it',
  info: 'Informative',
};

/** A claim name as a URL fragment: `x5t#S256` → `claim-x5t-s256`, `_claim_names` → `claim-claim_names`. */
export function claimAnchor(id: string): string {
  return `claim-${id
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')}`;
}

/** An error code as a URL fragment: `AADSTS50011` → `aadsts50011`. */
export function errorAnchor(id: string): string {
  return id.toLowerCase();
}

/**
 * How a source reads in "Source: …": the publisher, then the page title (`Microsoft Learn, Access
 * token claims reference`). Specs cite themselves (`RFC 6750 §3.1`), so they need no publisher.
 */
export function sourceLabel(source: Source): string {
  const host = new URL(source.url).hostname;
  if (host === 'learn.microsoft.com') return `Microsoft Learn, ${source.title}`;
  if (host === 'github.com') return `GitHub, ${source.title}`;
  return source.title;
}

/** What a reader sees instead of a link when a statement has no public source. */
export const verificationLabel: Record<Verification['status'], string> = {
  'sandbox-only': 'Sandbox only',
  unverified: 'Not documented by Microsoft',
};
