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

let instance: Promise<LabMsal> | undefined;

export function getLabMsal(): Promise<LabMsal> {
  instance ??= (async () => {
    const configuration = msalConfiguration(readLabConfig());
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
  return instance;
}
