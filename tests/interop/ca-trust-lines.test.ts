/**
 * The trust lines `npm start` prints (src/config/caTrust.ts), run verbatim in a shell with a clean
 * environment: each one makes its ecosystem's client accept the tenant's https authority, and the
 * same client without the line refuses it. The operating-system store lines change the machine,
 * so they are not run here; the Java line runs when a JDK is installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaTrustEcosystem, caTrustLines } from '../../src/config/caTrust.ts';
import { authorityEndpoints, type LabConfig } from '../../src/config/lab.ts';
import { CA_PATH, PYTHON } from '../support/interop-clients.ts';
import { labConfig } from '../support/tenant-http.ts';

let config: LabConfig;
let discovery: string;

beforeAll(() => {
  config = labConfig();
  discovery = authorityEndpoints(config).discovery;
});

/** Runs `script` in sh with only PATH and HOME: nothing trusted but what the script itself sets. */
function sh(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      'sh',
      ['-c', script],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout: stdout.trim(), stderr }),
    );
  });
}

const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

/** A one-line client per ecosystem that prints the discovery document's issuer. */
function clientFor(ecosystem: CaTrustEcosystem): string {
  switch (ecosystem) {
    case 'node':
      return `${quote(process.execPath)} -e 'fetch(process.argv[1]).then((r) => r.json()).then((d) => console.log(d.issuer))' ${quote(discovery)}`;
    case 'python-requests':
      return `${quote(PYTHON)} -c 'import requests, sys; print(requests.get(sys.argv[1]).json()["issuer"])' ${quote(discovery)}`;
    case 'python-ssl':
      return `${quote(PYTHON)} -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["issuer"])' ${quote(discovery)}`;
    default:
      throw new Error(`no client for ${ecosystem}`);
  }
}

describe('the printed trust lines, run as a user pastes them', () => {
  it.each(['node', 'python-requests', 'python-ssl'] as const)('%s: trusted with the line, refused without it', async (ecosystem) => {
    const line = caTrustLines(CA_PATH).find((candidate) => candidate.ecosystem === ecosystem);
    const trusted = await sh(`${line?.command} && ${clientFor(ecosystem)}`);
    expect(trusted.stderr).toBe('');
    expect(trusted.stdout).toBe(config.tenant.issuer);
    const untrusted = await sh(clientFor(ecosystem));
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(/certificate|SSL|self.signed|fetch failed/i);
  });

  it('curl --cacert: the discovery document; without it, curl refuses the certificate (exit 60)', async () => {
    const line = caTrustLines(CA_PATH, { url: discovery }).find((candidate) => candidate.ecosystem === 'curl');
    const trusted = await sh(`${line?.command} --silent --show-error`);
    expect(JSON.parse(trusted.stdout).issuer).toBe(config.tenant.issuer);
    const untrusted = await sh(`curl --silent --show-error ${quote(discovery)}`);
    expect(untrusted.code).toBe(60);
  });
});

/** A JDK on the PATH (`java` and `keytool`), or the Java test is skipped. */
const hasJdk = (() => {
  try {
    execFileSync('keytool', ['-help'], { stdio: 'ignore' });
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasJdk)('the Java line (keytool trust store + javax.net.ssl.trustStore)', () => {
  let dir: string;
  beforeAll(async () => {
    // A copy of the CA in a folder of its own, so the trust store the line creates lands there, not in .lab/ca.
    dir = await mkdtemp(join(tmpdir(), 'java-trust-'));
    await copyFile(CA_PATH, join(dir, 'ca.pem'));
    await writeFile(
      join(dir, 'Discovery.java'),
      [
        'import java.net.URI; import java.net.http.*;',
        'public class Discovery { public static void main(String[] a) throws Exception {',
        '  var body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(a[0])).build(), HttpResponse.BodyHandlers.ofString()).body();',
        '  var m = java.util.regex.Pattern.compile("\\"issuer\\":\\"([^\\"]+)\\"").matcher(body); m.find(); System.out.println(m.group(1)); } }',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('java -Djavax.net.ssl.trustStore=… trusts the tenant; plain java refuses it (PKIX)', async () => {
    const line = caTrustLines(join(dir, 'ca.pem')).find((candidate) => candidate.ecosystem === 'java');
    const command = (line?.command ?? '').replace('…', `${quote(join(dir, 'Discovery.java'))} ${quote(discovery)}`);
    const trusted = await sh(command);
    expect(trusted.stdout.split('\n').at(-1)).toBe(config.tenant.issuer);
    const untrusted = await sh(`java ${quote(join(dir, 'Discovery.java'))} ${quote(discovery)}`);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(/PKIX path building failed/);
  }, 60_000);
});
