/**
 * The tenant's side of an authorize request, as a browser walks it: from the first redirect to the
 * tenant until it sends the browser back to `redirectUri` with the code. Sign-in page, then the
 * consent page if the user has not consented yet, each resumed by oidc-provider. Shared by the SPA's
 * capture and the confidential web app's: the tenant's pages are the same for both.
 */
import type { LabConfig } from '../../src/config/lab.ts';
import { SANDBOX_PASSWORD, sandboxUsers } from '../../src/config/sandbox.ts';
import type { CapturedLeg } from '../../src/contracts/captures.ts';
import { type CookieJar, exchange, locationOf } from './recorder.ts';

/** Records each page and submission into `legs`; returns the URL the tenant redirected back to. */
export async function walkTenantPages(
  config: LabConfig,
  jar: CookieJar,
  legs: CapturedLeg[],
  from: { url: string; redirectUri: string; app: string },
): Promise<string> {
  let url = from.url;
  for (let hops = 0; !url.startsWith(from.redirectUri); hops++) {
    if (hops > 10) throw new Error(`The sandbox did not redirect back to the ${from.app} after 10 hops.`);
    if (/\/interaction\/[^/]+$/.test(new URL(url).pathname)) {
      const page = await exchange(jar, ['sign-in'], 'Entra shows its page', { method: 'GET', url });
      const consent = /\/consent\b/.test(String(page.leg.response.body));
      page.leg.title = consent ? 'Entra asks for consent' : 'Entra shows its sign-in page';
      if (consent) page.leg.optional = true;
      legs.push(page.leg);
      const submit = await exchange(jar, ['sign-in-submit'], consent ? 'The user accepts' : 'The user signs in', {
        method: 'POST',
        url: `${url}/${consent ? 'consent' : 'login'}`,
        headers: { Origin: config.tenantOrigin },
        form: consent ? { decision: 'accept' } : { username: sandboxUsers.alice.preferredUsername, password: SANDBOX_PASSWORD },
      });
      if (consent) submit.leg.optional = true;
      legs.push(submit.leg);
      url = locationOf(submit.response, url);
    } else {
      // oidc-provider resumes the authorize request after each page.
      const resume = await exchange(jar, ['authorize-response'], 'Entra resumes the authorize request', { method: 'GET', url });
      legs.push(resume.leg);
      url = locationOf(resume.response, url);
    }
  }
  // The last resume is the one that sends the browser back with the code; the earlier ones lead to a
  // page, the consent page, so like it they happen only when the user has not consented yet.
  const resumes = legs.filter((leg) => leg.steps[0] === 'authorize-response');
  for (const leg of resumes.slice(0, -1)) {
    leg.steps = ['sign-in-submit'];
    leg.title = 'Entra continues the sign-in';
    leg.optional = true;
  }
  const final = resumes.at(-1);
  if (final) final.title = `Entra redirects back to the ${from.app} with the code`;
  return url;
}
