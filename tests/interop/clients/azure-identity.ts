/**
 * A daemon with Azure Identity (`@azure/identity`): a client secret or certificate credential, a
 * token for the API's `.default` scope, then the API called with it.
 *
 * Configured from the environment, as a daemon is:
 *   AUTHORITY_HOST  https://localhost:4400 (for Entra: https://login.microsoftonline.com)
 *   TENANT_ID, CLIENT_ID, SCOPE ({App ID URI}/.default), API_URL
 *   and either CLIENT_SECRET, or CERT_PATH + KEY_PATH (PEM).
 * Trust for the tenant's TLS certificate: NODE_EXTRA_CA_CERTS=.lab/ca/ca.pem.
 * Prints one JSON object: the token, its expiry, and the API's answer.
 */
import { readFileSync } from 'node:fs';
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

// #region credential
const options = {
  authorityHost: env('AUTHORITY_HOST'),
  // Instance discovery asks login.microsoftonline.com whether the host is an Entra cloud; a local one is not.
  disableInstanceDiscovery: true,
};
const credential: TokenCredential = process.env.CLIENT_SECRET
  ? new ClientSecretCredential(env('TENANT_ID'), env('CLIENT_ID'), process.env.CLIENT_SECRET, options)
  : new ClientCertificateCredential(
      env('TENANT_ID'),
      env('CLIENT_ID'),
      // One PEM holding the certificate and its private key, as Azure Identity takes it.
      { certificate: `${readFileSync(env('CERT_PATH'), 'utf8')}\n${readFileSync(env('KEY_PATH'), 'utf8')}` },
      options,
    );
// #endregion credential

try {
  // #region get-token
  const token = await credential.getToken(env('SCOPE'));
  if (!token) throw new Error('getToken returned no token');
  const response = await fetch(env('API_URL'), { headers: { Authorization: `Bearer ${token.token}` } });
  // #endregion get-token
  console.log(JSON.stringify({ access_token: token.token, expiresOnTimestamp: token.expiresOnTimestamp, api_get: response.status }));
} catch (error) {
  console.log(JSON.stringify({ error: (error as Error).name, error_description: (error as Error).message }));
  process.exitCode = 1;
}
