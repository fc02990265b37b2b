/**
 * Who is calling the token endpoint, checked the way Entra does before any grant is looked at.
 *
 * Entra decides from the app registration: a public client (its redirect URIs are of type "spa",
 * or "mobile and desktop") must not send a credential (AADSTS700025); a confidential app must send a secret or a client
 * assertion (AADSTS7000218), and a wrong one fails (AADSTS7000215, AADSTS700027…). The result
 * says how the client authenticated, for the `azpacr` claim.
 */

import { timingSafeEqual } from 'node:crypto';
import { CLIENT_ASSERTION_TYPE, checkClientAssertion } from './clientAssertion.ts';
import { appById, type Directory, type DirectoryApp, isPublicClient, type Platform } from './directory.ts';
import { type EntraError, entraError } from './entraErrors.ts';
import { checkFederatedAssertion, type IssuerResolver, isFederatedAssertion } from './federatedAssertion.ts';
import type { ClientAuthenticationLevel } from './tokenShapes.ts';

/** RFC 7523 §2.1's grant type, which Entra uses for on-behalf-of (with `requested_token_use=on_behalf_of`). */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export type ClientAuthentication =
  | {
      ok: true;
      client: DirectoryApp;
      /** The app's platform; undefined for an app that only exposes an API. */
      platform: Platform | undefined;
      azpacr: ClientAuthenticationLevel;
      method: 'none' | 'client_secret' | 'client_assertion';
      /** The federated identity credential that trusted the assertion, when it came from another issuer. */
      federatedCredential?: string;
    }
  | { ok: false; error: EntraError };

interface BasicCredentials {
  clientId: string;
  secret: string;
}

/** RFC 6749 §2.3.1: `Authorization: Basic base64(urlencode(id):urlencode(secret))`. */
function parseBasic(header: string | undefined): BasicCredentials | undefined | 'malformed' {
  if (!header) return undefined;
  const [scheme, value] = header.split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !value) return 'malformed';
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return 'malformed';
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface ClientAuthenticationInput {
  params: Record<string, string>;
  authorization: string | undefined;
  /** Token endpoint URLs a client assertion may name as `aud`. */
  assertionAudiences: string[];
  /** Reads an external issuer's keys (workload identity federation). */
  resolveIssuer?: IssuerResolver;
}

export async function authenticateClient(directory: Directory, input: ClientAuthenticationInput): Promise<ClientAuthentication> {
  const { params } = input;
  const basic = parseBasic(input.authorization);
  if (basic === 'malformed') return { ok: false, error: entraError('AADSTS9002313') };
  if (basic && params.client_id && basic.clientId !== params.client_id) return { ok: false, error: entraError('AADSTS9002313') };
  const clientId = params.client_id ?? basic?.clientId;
  if (!clientId) return { ok: false, error: entraError('AADSTS900144', { param: 'client_id' }) };
  const client = appById(directory, clientId);
  if (!client) return { ok: false, error: entraError('AADSTS700016', { client_id: clientId, tenant: directory.tenantDomain }) };

  const secret = params.client_secret ?? basic?.secret;
  const assertion = params.client_assertion;
  if (secret !== undefined && assertion !== undefined) return { ok: false, error: entraError('AADSTS9002313') };
  // Client credentials and on-behalf-of are for confidential clients only, whoever asks.
  const confidentialGrant = params.grant_type === 'client_credentials' || params.grant_type === JWT_BEARER_GRANT;

  const platform = client.platform;

  // A public client's (SPA, mobile and desktop) code and refresh token are redeemed without a
  // credential; sending one is an error.
  if (isPublicClient(client) && !confidentialGrant) {
    if (secret !== undefined || assertion !== undefined) return { ok: false, error: entraError('AADSTS700025') };
    return { ok: true, client, platform, azpacr: '0', method: 'none' };
  }

  // Everything else needs one of the app's own credentials (Certificates & secrets).
  if (secret === undefined && assertion === undefined) return { ok: false, error: entraError('AADSTS7000218') };
  if (secret !== undefined) {
    if (!client.secrets.some((registered) => sameSecret(secret, registered)))
      return { ok: false, error: entraError('AADSTS7000215', { client_id: clientId }) };
    return { ok: true, client, platform, azpacr: '1', method: 'client_secret' };
  }
  if (params.client_assertion_type === CLIENT_ASSERTION_TYPE && isFederatedAssertion(assertion as string, clientId)) {
    const federated = await checkFederatedAssertion({
      assertion: assertion as string,
      credentials: client.federatedCredentials ?? [],
      resolveIssuer: input.resolveIssuer ?? (async () => undefined),
    });
    if (!federated.ok) return federated;
    // Entra documents azpacr 0, 1 and 2 (certificate) only; a federated credential is an assertion too.
    return { ok: true, client, platform, azpacr: '2', method: 'client_assertion', federatedCredential: federated.credential.name };
  }
  const problem = await checkClientAssertion({
    assertion: assertion as string,
    assertionType: params.client_assertion_type,
    clientId,
    certificates: client.certificates,
    audiences: input.assertionAudiences,
  });
  if (problem) return { ok: false, error: problem };
  return { ok: true, client, platform, azpacr: '2', method: 'client_assertion' };
}
