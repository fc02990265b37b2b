/**
 * The default sandbox (`npm start` with no environment), as the "your own app" guide shows it: the
 * values a reader's app is configured with, computed by the lab's own config code at build time
 * rather than retyped. Ports and URLs follow `src/config/lab.ts`; MSAL.js settings follow the lab's
 * own `msalConfiguration`.
 */
import { authorityEndpoints, loadLabConfig, publicConfig } from '../../config/lab.ts';
import { msalConfiguration } from '../../widgets/msal/msalConfig.ts';

/** The default configuration: no environment variables, sandbox mode, default ports. */
export const defaultSandbox = publicConfig(loadLabConfig({}));

/** The endpoints at the https authority, as a server-side client discovers them over TLS. */
export const defaultSandboxHttps = authorityEndpoints(defaultSandbox);

/**
 * The `auth` settings of the lab's own MSAL.js configuration that a reader's single-page app
 * copies (authority, known authority, pinned metadata), as JSON.
 */
export function msalBrowserAuthSettings(): string {
  const { authority, knownAuthorities, authorityMetadata } = msalConfiguration(defaultSandbox).auth;
  return JSON.stringify({ authority, knownAuthorities, authorityMetadata: authorityMetadata && JSON.parse(authorityMetadata) }, null, 2);
}
