/**
 * Looks up an AADSTS/IDX code in the slice of the error catalog (`content/errors.yaml`) a widget
 * was given, and falls back to a plain sentence when the catalog has no entry for it yet.
 */
export interface CatalogEntry {
  id: string;
  title: string;
  error: string;
  cause: string;
  fix: string;
}

export interface ExplainedError {
  code?: string;
  title: string;
  cause?: string;
  fix?: string;
  /** The raw error text (server description or MSAL message), for the details line. */
  detail?: string;
  /** Whether the catalog knew the code. */
  known: boolean;
}

export function explainError(catalog: CatalogEntry[], code: string | undefined, fallbackTitle: string, detail?: string): ExplainedError {
  const entry = code ? catalog.find((e) => e.id === code) : undefined;
  const base: ExplainedError = entry
    ? { code: entry.id, title: entry.title, cause: entry.cause, fix: entry.fix, known: true }
    : { title: fallbackTitle, known: false, ...(code ? { code } : {}) };
  if (detail) base.detail = detail;
  return base;
}
