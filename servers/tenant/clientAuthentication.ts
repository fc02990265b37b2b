/**
 * Who is calling the token endpoint, checked the way Entra does before any grant is looked at.
 *
 * Entra decides from the app registration: a SPA (public, its redirect URIs are of type "spa")
 * must not send a credential (AADSTS700025); a confidential app must send a secret or a client
 * assertion (AADSTS7000218), and a wrong one fails (AADSTS7000215, AADSTS700027…). The result
 * says how the client authenticated, for the `azpacr` claim.
 */

import { timingSafeEqual } from 'node:crypto';
import { checkClientAssertion } from './clientAssertion.ts';
import { type AppKind, appById, type Directory, type DirectoryApp } from './directory.ts';
import { type EntraError, entraError } from './entraErrors.ts';
import type { ClientAuthenticationLevel } from './tokenShapes.ts';

/** RFC 7523 §2.1's grant type, which Entra uses for on-behalf-of (with `requested_token_use=on_behalf_of`). */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export type ClientAuthentication =
  | {
      ok: true;
      client: DirectoryApp;
      kind: AppKind;
      azpacr: ClientAuthenticationLevel;
      method: 'none' | 'client_secret' | 'client_assertion';
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

  // A SPA's code and refresh token are redeemed without a credential; sending one is an error.
  if (client.kind === 'spa' && !confidentialGrant) {
    if (secret !== undefined || assertion !== undefined) return { ok: false, error: entraError('AADSTS700025') };
    return { ok: true, client, kind: client.kind, azpacr: '0', method: 'none' };
  }

  // Everything else needs the app's own credential: the daemon's secret or certificate, the Tasks API's secret.
  const registered = client.kind === 'daemon' ? directory.daemon : undefined;
  const registeredSecret = registered?.secret ?? (client.kind === 'api' ? directory.api.secret : undefined);
  if (secret === undefined && assertion === undefined) return { ok: false, error: entraError('AADSTS7000218') };
  if (secret !== undefined) {
    if (registeredSecret === undefined || !sameSecret(secret, registeredSecret))
      return { ok: false, error: entraError('AADSTS7000215', { client_id: clientId }) };
    return { ok: true, client, kind: client.kind, azpacr: '1', method: 'client_secret' };
  }
  const problem = await checkClientAssertion({
    assertion: assertion as string,
    assertionType: params.client_assertion_type,
    clientId,
    certificates: registered ? [registered.certificate] : [],
    audiences: input.assertionAudiences,
  });
  if (problem) return { ok: false, error: problem };
  return { ok: true, client, kind: client.kind, azpacr: '2', method: 'client_assertion' };
}
