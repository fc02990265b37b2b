/**
 * Finds the Entra error code in whatever carried it: a token-endpoint JSON body (`error_codes`,
 * `error_description: "AADSTS70011: …"`), an /authorize redirect, or an MSAL error message that
 * quotes the server's description. Entra's docs say clients branch on `error`, people on the code.
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */

export interface EntraError {
  /** `AADSTS65001`, when the text names one. */
  code?: string;
  /** The RFC 6749 §5.2 / §4.1.2.1 error (`invalid_grant`, `consent_required`…). */
  error?: string;
  description?: string;
}

const AADSTS = /\bAADSTS(\d{4,7})\b/;

export function findAadstsCode(text: string | undefined): string | undefined {
  const match = text ? AADSTS.exec(text) : null;
  return match ? `AADSTS${match[1]}` : undefined;
}

/** Reads an OAuth error response body (RFC 6749 §5.2) as Entra shapes it. */
export function parseEntraErrorBody(body: unknown): EntraError {
  if (!body || typeof body !== 'object') return {};
  const record = body as Record<string, unknown>;
  const description = typeof record.error_description === 'string' ? record.error_description : undefined;
  const codes = Array.isArray(record.error_codes) ? record.error_codes : [];
  const first = codes.find((c) => typeof c === 'number');
  const result: EntraError = {};
  const code = typeof first === 'number' ? `AADSTS${first}` : findAadstsCode(description);
  if (code) result.code = code;
  if (typeof record.error === 'string') result.error = record.error;
  if (description) result.description = description;
  return result;
}

/** Reads an MSAL error (msal-browser `AuthError`/`InteractionRequiredAuthError`, msal-node `ServerError`). */
export function parseMsalError(error: unknown): EntraError {
  if (!error || typeof error !== 'object') return { description: String(error) };
  const e = error as { errorCode?: unknown; errorMessage?: unknown; subError?: unknown; message?: unknown };
  const description =
    typeof e.errorMessage === 'string' && e.errorMessage ? e.errorMessage : typeof e.message === 'string' ? e.message : '';
  const result: EntraError = { description };
  const code = findAadstsCode(description) ?? findAadstsCode(typeof e.message === 'string' ? e.message : undefined);
  if (code) result.code = code;
  if (typeof e.errorCode === 'string' && e.errorCode) result.error = e.errorCode;
  return result;
}
