/**
 * The ONE PublicClientApplication of the page. Widgets ask it for accounts and tokens; none keeps
 * its own cache. Created on first use, so pages without a sign-in widget never load MSAL.
 */
import { type AuthenticationResult, PublicClientApplication } from '@azure/msal-browser';
import { readLabConfig } from '../lab-config/readLabConfig.ts';
import { msalConfiguration } from './msalConfig.ts';
import { recordingNetworkClient } from './recordingNetwork.ts';

export interface LabMsal {
  pca: PublicClientApplication;
  /** What `handleRedirectPromise` returned on this page load: a sign-in that just came back, or null. */
  redirectResult: Promise<AuthenticationResult | null>;
}

let instance: { key: string; msal: Promise<LabMsal> } | undefined;

/**
 * The page's PublicClientApplication for the current config. A save on the settings page changes
 * the client ID or the authority; the next call then builds a new instance for them.
 */
export function getLabMsal(): Promise<LabMsal> {
  const config = readLabConfig();
  const key = `${config.ids.spaClientId} ${config.tenant.authority}`;
  if (instance?.key === key) return instance.msal;
  const msal = (async () => {
    const configuration = msalConfiguration(config);
    // Same requests as MSAL's own fetch client; it also tells the widgets which grant each token call used.
    configuration.system = { ...configuration.system, networkClient: recordingNetworkClient };
    const pca = new PublicClientApplication(configuration);
    await pca.initialize();
    // Must run once per page load: it completes a loginRedirect that the bridge handed back.
    const redirectResult = pca.handleRedirectPromise();
    redirectResult
      .then((result) => {
        if (result?.account) pca.setActiveAccount(result.account);
      })
      .catch(() => {}); // the widget that awaits redirectResult shows the error
    return { pca, redirectResult };
  })();
  instance = { key, msal };
  return msal;
}
