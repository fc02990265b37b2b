/**
 * The error catalog as the servers read it: `content/errors.yaml`, parsed with the same zod schema
 * the site uses, found next to this file whatever the working directory. The tenant prints its
 * AADSTS entries' `message` in Entra's error bodies; the API prints its IDX/IDW entries' `message`
 * with the token's values filled in, and returns `fix` as the advice. So a reason reads the same in
 * a response, on a widget and on the error pages.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { type ErrorEntry, errorEntrySchema } from './schemas.ts';

export const ERROR_CATALOG_PATH = fileURLToPath(new URL('../../content/errors.yaml', import.meta.url));

export interface ErrorCatalog {
  /** The entry for a code, if the catalog has one. */
  find(code: string): ErrorEntry | undefined;
  /** The entry for a code; throws if the catalog lacks it (caught at start-up by `requireCodes`). */
  entry(code: string): ErrorEntry;
  /** `message` with each `{name}` replaced by `values[name]`. */
  render(code: string, values: Record<string, string>): string;
}

/** Values from a token can be long or hostile: quote them short, on one line. */
function quoteValue(value: string): string {
  const oneLine = value.replace(/[\r\n\t]+/g, ' ');
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

export function createErrorCatalog(entries: ErrorEntry[]): ErrorCatalog {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const entry = (code: string): ErrorEntry => {
    const found = byId.get(code);
    if (!found) throw new Error(`${code} is not in content/errors.yaml. Add an entry for it (see src/data/schemas.ts errorEntrySchema).`);
    return found;
  };
  return {
    find: (code) => byId.get(code),
    entry,
    render: (code, values) =>
      entry(code).message.replace(/\{([A-Za-z_][\w.]*)\}/g, (placeholder, name: string) =>
        name in values ? quoteValue(values[name] as string) : placeholder,
      ),
  };
}

/** Reads and validates `content/errors.yaml`; a bad entry fails here with its id and field. */
export function loadErrorCatalog(path = ERROR_CATALOG_PATH): ErrorCatalog {
  const raw = parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${path} must be a YAML list of error entries.`);
  return createErrorCatalog(raw.map((item) => errorEntrySchema.parse(item)));
}

/** Fails fast when the catalog lacks a code the API can answer with. */
export function requireCodes(catalog: ErrorCatalog, codes: readonly string[], who: string): void {
  const missing = codes.filter((code) => catalog.find(code) === undefined);
  if (missing.length) throw new Error(`content/errors.yaml lacks ${missing.join(', ')}, which ${who} answers with.`);
}
