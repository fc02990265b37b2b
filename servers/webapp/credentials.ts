/**
 * The web app's credential, read on the server only: its client secret, or its certificate and
 * private key. In the sandbox the secret is the published sandbox one and the certificate is the
 * one the tenant generated into `.lab/tenant/webapp/`; with a real tenant both come from `.env`
 * (`ENTRA_WEBAPP_*`). The browser only ever chooses which kind to use.
 */
import type { LabConfig } from '../../src/config/lab.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { type DaemonCertificate, readCertificate } from '../daemon/credentials.ts';
import { webappCertificatePaths } from '../tenant/webappCertificate.ts';
import type { WebAppCredentialKind } from './sessions.ts';

export interface WebAppCredential {
  kind: WebAppCredentialKind;
  secret?: string;
  certificate?: DaemonCertificate;
}

export class WebAppCredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebAppCredentialError';
  }
}

export async function webappCredential(config: LabConfig, kind: WebAppCredentialKind): Promise<WebAppCredential> {
  if (config.mode === 'sandbox') {
    if (kind === 'secret') return { kind, secret: sandboxApps.webapp.sandboxSecret };
    const paths = webappCertificatePaths();
    try {
      return { kind, certificate: await readCertificate(paths.certificatePath, paths.privateKeyPath, 'Run npm start.') };
    } catch {
      throw new WebAppCredentialError(
        `The web app's certificate is not there yet (${paths.certificatePath}). The sandbox tenant creates it on its first start: run npm start.`,
      );
    }
  }
  const configured = config.webappCredential;
  if (!configured) {
    throw new WebAppCredentialError(
      'The web app has no credential in this configuration. Set ENTRA_WEBAPP_CLIENT_SECRET, or ENTRA_WEBAPP_CERT_PATH and ENTRA_WEBAPP_KEY_PATH, in .env and restart npm start.',
    );
  }
  if (kind === 'secret') {
    if (configured.kind !== 'secret')
      throw new WebAppCredentialError('No client secret is configured for the web app: choose Certificate.');
    return { kind, secret: configured.secret };
  }
  if (configured.kind !== 'certificate')
    throw new WebAppCredentialError('No certificate is configured for the web app: choose Client secret.');
  try {
    return { kind, certificate: await readCertificate(configured.certificatePath, configured.privateKeyPath, REAL_CERTIFICATE_FIX) };
  } catch (error) {
    // The shared reader speaks of the daemon; this is the web app's pair.
    throw new WebAppCredentialError((error as Error).message.replace(/daemon's/g, "web app's"));
  }
}

const REAL_CERTIFICATE_FIX =
  'Check ENTRA_WEBAPP_CERT_PATH and ENTRA_WEBAPP_KEY_PATH in .env: they must name the PEM certificate uploaded to the web app registration and its private key.';
