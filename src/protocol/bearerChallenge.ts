/**
 * Parses a `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3): the API's own words for why it
 * refused a token (`error="invalid_token"`, `error_description`, `scope`).
 */

export interface BearerChallenge {
  scheme: string;
  /** RFC 6750 §3 parameters, by name (`realm`, `error`, `error_description`, `scope`, `error_uri`). */
  params: Record<string, string>;
}

const PARAM = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;

export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  const params: Record<string, string> = {};
  for (const [, name = '', quoted, bare] of value.slice(scheme.length).matchAll(PARAM)) {
    params[name.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
  }
  return { scheme, params };
}
