/**
 * The CA trust lines as the "your own app" guide shows them: the same `caTrustLines` that
 * `npm start` and `npm run tenant` print (src/config/caTrust.ts), with a placeholder for the lab's
 * folder instead of the build machine's path, and the default sandbox's discovery URL for curl.
 * The e2e test compares the page with this function, so page and terminal cannot drift.
 */
import { type CaTrustLine, caTrustLines } from '../../config/caTrust.ts';
import { defaultSandboxHttps } from './defaultSandbox.ts';

/** Where the CA file is, as the page writes it; `npm start` prints the real absolute path. */
export const CA_PATH_ON_PAGE = '/path/to/entra-flows-lab/.lab/ca/ca.pem';

export function pageTrustLines(): CaTrustLine[] {
  return caTrustLines(CA_PATH_ON_PAGE, { url: defaultSandboxHttps.discovery });
}
