/**
 * The trust lines `npm start` prints (src/config/caTrust.ts), run verbatim in a shell with a clean
 * environment: each one makes its ecosystem's client accept the tenant's https authority, and the
 * same client without the line refuses it. The operating-system store and Java lines change the
 * machine or need a JDK, so they are not run here.
 */
import { execFile } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
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
