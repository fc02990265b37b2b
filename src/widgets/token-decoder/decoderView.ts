/**
 * What the decoder shows for a token, computed without a DOM: one row per header parameter and
 * claim, each explained from the claims reference (`content/claims.yaml`), times as dates and
 * relative phrases, and the time checks an API would make. Unit-tested in tests/unit/widgets.
 */
import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import type { Claim } from '../../data/schemas.ts';
import { describeNumericDate, isNumericDate, NUMERIC_DATE_CLAIMS } from '../../protocol/numericDate.ts';
import { classifyToken, isGraphToken, type TokenKindResult } from '../../protocol/tokenKind.ts';

/** The part of a claims-reference entry the decoder needs (the widget receives only this). */
export type ClaimReference = Pick<Claim, 'id' | 'title' | 'description' | 'format' | 'in'> & Partial<Pick<Claim, 'validate' | 'source'>>;

export type TimeStatus = 'expired' | 'not-yet-valid' | 'valid' | 'past' | 'future';

export interface ClaimRow {
  name: string;
  /** The value as text (JSON for arrays and objects). */
  value: string;
  reference?: ClaimReference;
  time?: { iso: string; relative: string; status: TimeStatus; label: string };
}

export interface DecoderView {
  kind: TokenKindResult;
  kindLabel: string;
  graph: boolean;
  header: ClaimRow[];
  payload: ClaimRow[];
  /** "Expired 2 hours ago" etc., when exp/nbf say the token is not usable now. */
  lifetimeProblem?: string;
}

export const KIND_LABELS: Record<TokenKindResult['kind'], string> = {
  'access-token-user': 'Access token for a signed-in user (delegated)',
  'access-token-app': 'App-only access token (client credentials)',
  'id-token': 'ID token',
  'client-assertion': 'Client assertion (certificate credential)',
  unknown: 'Not an Entra token',
};

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function timeRow(name: string, seconds: number, nowMs: number): ClaimRow['time'] {
  const described = describeNumericDate(seconds, nowMs);
  // RFC 7519 §4.1.4/§4.1.5: expired on or after `exp`; valid from `nbf` on. A token issued this
  // very second has nbf = now, and is valid.
  const past = described.secondsFromNow <= 0;
  if (name === 'exp') {
    return past
      ? { ...described, status: 'expired', label: `Expired ${described.relative}` }
      : { ...described, status: 'valid', label: `Expires ${described.relative}` };
  }
  if (name === 'nbf') {
    return past
      ? { ...described, status: 'valid', label: `Valid since ${described.relative}` }
      : { ...described, status: 'not-yet-valid', label: `Becomes valid ${described.relative}` };
  }
  return { ...described, status: past ? 'past' : 'future', label: `${name === 'iat' ? 'Issued' : 'At'} ${described.relative}` };
}

function rows(record: Record<string, unknown>, reference: Map<string, ClaimReference>, nowMs: number): ClaimRow[] {
  return Object.entries(record).map(([name, value]) => {
    const ref = reference.get(name);
    const row: ClaimRow = { name, value: valueText(value) };
    if (ref) row.reference = ref;
    const isTime = ref ? ref.format === 'unix-time' : (NUMERIC_DATE_CLAIMS as readonly string[]).includes(name);
    if (isTime && isNumericDate(value)) row.time = timeRow(name, value, nowMs);
    return row;
  });
}

export function buildDecoderView(
  header: ProtectedHeaderParameters,
  payload: JWTPayload,
  claims: ClaimReference[],
  nowMs: number,
): DecoderView {
  const reference = new Map(claims.map((c) => [c.id, c] as const));
  const kind = classifyToken(header, payload);
  const view: DecoderView = {
    kind,
    kindLabel: KIND_LABELS[kind.kind],
    graph: isGraphToken(header, payload),
    header: rows(header as Record<string, unknown>, reference, nowMs),
    payload: rows(payload as Record<string, unknown>, reference, nowMs),
  };
  const problem = view.payload.find((row) => row.time?.status === 'expired' || row.time?.status === 'not-yet-valid');
  if (problem?.time) {
    view.lifetimeProblem = `${problem.time.label}: an API refuses it (${problem.time.status === 'expired' ? 'IDX10223' : 'IDX10222'}), whatever its signature.`;
  }
  return view;
}
