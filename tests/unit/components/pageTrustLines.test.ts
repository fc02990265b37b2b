/**
 * The trust lines the your-app guide renders are `caTrustLines` itself (what `npm start` prints),
 * with a placeholder path instead of the build machine's folder and the default sandbox's https
 * discovery URL for curl. The e2e spec checks the built page against this same function.
 */
import { describe, expect, it } from 'vitest';
import { defaultSandboxHttps } from '../../../src/components/your-app/defaultSandbox.ts';
import { CA_PATH_ON_PAGE, pageTrustLines } from '../../../src/components/your-app/pageTrustLines.ts';
import { caTrustLines } from '../../../src/config/caTrust.ts';
import { DEFAULT_PORTS, SANDBOX_TENANT_ID } from '../../../src/config/sandbox.ts';

describe('the your-app guide’s trust lines', () => {
  it('are caTrustLines for the placeholder CA path, every ecosystem', () => {
    expect(pageTrustLines()).toEqual(caTrustLines(CA_PATH_ON_PAGE, { url: defaultSandboxHttps.discovery }));
    expect(pageTrustLines().map((line) => line.ecosystem)).toEqual(caTrustLines('/x/ca.pem').map((line) => line.ecosystem));
  });

  it('never carry the build machine’s folder', () => {
    const text = JSON.stringify(pageTrustLines());
    expect(text).not.toContain(process.cwd());
    expect(text).toContain(CA_PATH_ON_PAGE);
  });

  it('fetch the default sandbox’s https discovery document with curl', () => {
    const curl = pageTrustLines().find((line) => line.ecosystem === 'curl');
    expect(curl?.command).toBe(
      `curl --cacert "${CA_PATH_ON_PAGE}" https://localhost:${DEFAULT_PORTS.tenant}/${SANDBOX_TENANT_ID}/v2.0/.well-known/openid-configuration`,
    );
  });
});
