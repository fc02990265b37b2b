/**
 * The web app's MSAL Node client: a `ConfidentialClientApplication` with its own credential
 * (secret, or certificate → a signed client assertion), this session's token cache partition and a
 * network module that records each exchange for the "what the server did" panel.
 * One instance per request, as Microsoft's web-app samples do with a per-session cache.
 * https://learn.microsoft.com/entra/identity-platform/scenario-web-app-sign-user-app-configuration?tabs=nodejs
 */
import { ConfidentialClientApplication, type Configuration, LogLevel } from '@azure/msal-node';
import type { LabConfig } from '../../src/config/lab.ts';
import { type RecordedExchange, recordingNetwork } from '../daemon/recordingNetwork.ts';
import { sessionCachePlugin } from './cachePlugin.ts';
import type { WebAppCredential } from './credentials.ts';
import type { WebAppSession } from './sessions.ts';

// #region configuration
export function webAppMsalConfiguration(
  config: LabConfig,
  credential: WebAppCredential,
  session: WebAppSession,
  log: RecordedExchange[],
): Configuration {
  return {
    auth: {
      clientId: config.ids.webappClientId, // Application (client) ID of the web app registration
      // As a web app next to Entra is configured: the https authority, its metadata discovered over
      // TLS (the lab's CA is trusted, ../tls/trust.ts). `knownAuthorities` turns off instance
      // discovery, which would ask login.microsoftonline.com about a host it does not know.
      authority: config.tenant.authority, // https://login.microsoftonline.com/{tenant ID}
      knownAuthorities: [config.tenant.authorityHost],
      // The web app's own credential: it proves to Entra that the code is redeemed by this app.
      ...(credential.secret !== undefined ? { clientSecret: credential.secret } : {}),
      ...(credential.certificate
        ? {
            clientCertificate: {
              thumbprintSha256: credential.certificate.thumbprintSha256,
              privateKey: credential.certificate.privateKey,
              x5c: credential.certificate.x5c,
            },
          }
        : {}),
    },
    // This session's partition of the server-side token cache: nothing of it goes to the browser.
    cache: { cachePlugin: sessionCachePlugin(session) },
    system: {
      networkClient: recordingNetwork(log),
      // MSAL's own log stays off: at Verbose it would print request details.
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
    },
  };
}
// #endregion configuration

export function webAppClient(config: LabConfig, credential: WebAppCredential, session: WebAppSession, log: RecordedExchange[] = []) {
  return new ConfidentialClientApplication(webAppMsalConfiguration(config, credential, session, log));
}
