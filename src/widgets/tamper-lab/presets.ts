/**
 * The classic attacks on a bearer token, as presets of the tamper lab. Each says what it changes,
 * which check of a correct API refuses it first (`expected.first`, the IDX code the sample API's
 * `/api/explain` reports as its `problem`), and which other checks fail too (`expected.alsoFails`).
 * The e2e test sends every preset to the real API and holds it to these expectations.
 */
import { sandboxApps } from '../../config/sandbox.ts';
import type { JsonObject, TamperEdit, TokenParts } from './tamper.ts';

/** Microsoft Graph's application ID: the audience of a Graph token, a classic wrong `aud`. */
const MICROSOFT_GRAPH_APP_ID = sandboxApps.microsoftGraph.clientId;

export interface PresetExpectation {
  /** `accepted`, or the IDX/IDW code of the first failed check. */
  first: 'accepted' | string;
  /** Other checks' codes that must fail as well. */
  alsoFails?: string[];
}

export interface TamperPreset {
  id: string;
  label: string;
  /** What the attacker hopes, and why it fails. */
  explain: string;
  /** What a correct API does about it. */
  defense: string;
  expected: PresetExpectation;
  apply(original: TokenParts, now: number): TamperEdit;
}

const clone = (value: JsonObject): JsonObject => structuredClone(value);
const spaceList = (value: unknown) => (typeof value === 'string' ? value.split(' ').filter(Boolean) : []);

function edit(
  original: TokenParts,
  signature: TamperEdit['signature'],
  change: (header: JsonObject, payload: JsonObject) => void,
): TamperEdit {
  const header = clone(original.header);
  const payload = clone(original.payload);
  change(header, payload);
  return { header, payload, signature };
}

export const TAMPER_PRESETS: readonly TamperPreset[] = [
  {
    id: 'untampered',
    label: 'The real token, unchanged',
    explain: 'The token exactly as the tenant issued it. Start here: a correct API must accept it.',
    defense: 'Every check passes: signature, issuer, audience, lifetime, tenant, version and permissions.',
    expected: { first: 'accepted' },
    apply: (original) => edit(original, 'keep', () => {}),
  },
  {
    id: 'scope-escalation',
    label: 'Add a scope to scp (keep the signature)',
    explain:
      'Adds Tasks.ReadWrite.All, a scope nobody consented to (the API does not even define it), to scp and keeps the original signature, hoping the API reads claims without checking the signature.',
    defense: 'The signature covers header and payload: any change breaks it (IDX10511). Never decode-and-trust.',
    expected: { first: 'IDX10511' },
    apply: (original) =>
      edit(original, 'keep', (_h, p) => {
        p.scp = [...new Set([...spaceList(p.scp), 'Tasks.ReadWrite.All'])].join(' ');
      }),
  },
  {
    id: 'role-escalation',
    label: 'Add the app role Tasks.Read.All (keep the signature)',
    explain: 'Adds roles: ["Tasks.Read.All"] to read everyone’s tasks, keeping the signature.',
    defense: 'Refused at the signature (IDX10511). Only an administrator can grant an app role, and only Entra can write it into a token.',
    expected: { first: 'IDX10511' },
    apply: (original) =>
      edit(original, 'keep', (_h, p) => {
        p.roles = ['Tasks.Read.All'];
      }),
  },
  {
    id: 'alg-none',
    label: 'alg: none, signature removed',
    explain: 'Declares the token unsigned (RFC 7519 §6) and drops the signature: the oldest JWT attack.',
    defense: 'An empty signature is refused outright (IDX10504), and the algorithm allow-list (RS256 only) refuses alg none (IDX10696).',
    expected: { first: 'IDX10504', alsoFails: ['IDX10696'] },
    apply: (original) =>
      edit(original, 'unsigned', (h) => {
        h.alg = 'none';
      }),
  },
  {
    id: 'attacker-key-same-kid',
    label: 'Re-sign with my own key, keep the tenant’s kid',
    explain: 'Changes oid to another user and signs with a key generated in this browser, keeping the kid of the tenant’s real key.',
    defense: 'The API looks the kid up in the tenant’s JWKS and verifies with that public key: the forged signature fails (IDX10511).',
    expected: { first: 'IDX10511' },
    apply: (original) =>
      edit(original, 'attacker', (_h, p) => {
        p.oid = crypto.randomUUID();
      }),
  },
  {
    id: 'attacker-kid',
    label: 'Re-sign with my own key and my own kid',
    explain: 'Signs with the attacker’s key and names it in kid, hoping the API trusts whatever key the token points at.',
    defense:
      'Keys come only from the tenant’s JWKS (never from jku, x5u or jwk in the token). An unknown kid is refused after one JWKS refresh (IDX10503).',
    expected: { first: 'IDX10503' },
    apply: (original) =>
      edit(original, 'attacker', (h) => {
        h.kid = 'attacker-key-1';
      }),
  },
  {
    id: 'alg-confusion',
    label: 'HS256 signed with the tenant’s public key',
    explain:
      'Switches alg to HS256 and signs with the tenant’s public key (from its JWKS) as the HMAC secret, hoping the API feeds its verification key to whatever algorithm the header names.',
    defense:
      'The algorithm allow-list (RS256 only) refuses the header before any key is used (IDX10696). A key belongs to one algorithm; never let the token choose it.',
    expected: { first: 'IDX10696' },
    apply: (original) =>
      edit(original, 'hmac-public-key', (h) => {
        h.alg = 'HS256';
      }),
  },
  {
    id: 'no-kid',
    label: 'Remove kid and re-sign',
    explain: 'Drops kid, hoping the API tries every key it knows, or any key at all.',
    defense: 'Without kid there is no key to choose: refused (IDX10517). Entra always sets kid.',
    expected: { first: 'IDX10517' },
    apply: (original) =>
      edit(original, 'attacker', (h) => {
        delete h.kid;
      }),
  },
  {
    id: 'other-audience',
    label: 'Token for Microsoft Graph (aud changed)',
    explain: 'Sets aud to Microsoft Graph’s app ID: a token meant for another resource, replayed at this API.',
    defense:
      'The signature fails (IDX10511) and, on its own, the audience check refuses any aud other than the API’s client ID (IDX10214).',
    expected: { first: 'IDX10511', alsoFails: ['IDX10214'] },
    apply: (original) =>
      edit(original, 'keep', (_h, p) => {
        p.aud = MICROSOFT_GRAPH_APP_ID;
      }),
  },
  {
    id: 'v1-issuer',
    label: 'v1 issuer (sts.windows.net)',
    explain:
      'Rewrites iss to the v1 form https://sts.windows.net/{tid}/ with ver 1.0, as if the API registration still asked for v1 tokens.',
    defense: 'Refused at the signature (IDX10511); the issuer check alone refuses an issuer that is not the configured v2 one (IDX10205).',
    expected: { first: 'IDX10511', alsoFails: ['IDX10205'] },
    apply: (original) =>
      edit(original, 'keep', (_h, p) => {
        p.iss = `https://sts.windows.net/${String(p.tid ?? '')}/`;
        p.ver = '1.0';
      }),
  },
  {
    id: 'expired',
    label: 'Expired an hour ago',
    explain: 'Moves iat, nbf and exp two hours back, past the 5-minute clock skew.',
    defense: 'Refused at the signature (IDX10511); the lifetime check alone refuses a token past exp plus the skew (IDX10223).',
    expected: { first: 'IDX10511', alsoFails: ['IDX10223'] },
    apply: (original, now) =>
      edit(original, 'keep', (_h, p) => {
        p.iat = now - 2 * 3600;
        p.nbf = now - 2 * 3600;
        p.exp = now - 3600;
      }),
  },
];

export function findPreset(id: string): TamperPreset | undefined {
  return TAMPER_PRESETS.find((preset) => preset.id === id);
}
