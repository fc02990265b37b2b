import { describe, expect, it } from 'vitest';
import { caTrustLines, isTrustPlatform } from '../../../src/config/caTrust.ts';

const CA = '/home/ada/entra-flows-lab/.lab/ca/ca.pem';
const byEcosystem = (lines: ReturnType<typeof caTrustLines>) => Object.fromEntries(lines.map((line) => [line.ecosystem, line.command]));

describe('caTrustLines: one line per ecosystem to trust the lab CA', () => {
  it('names the CA file in every line, quoted, and each line has a source', () => {
    const lines = caTrustLines(CA);
    expect(lines.map((line) => line.ecosystem)).toEqual([
      'node',
      'python-requests',
      'python-ssl',
      'curl',
      'os-linux',
      'os-windows',
      'os-macos',
      'java',
    ]);
    for (const line of lines) {
      expect(line.command).toContain(`"${CA}"`);
      expect(line.source.url).toMatch(/^https:\/\//);
    }
  });

  it('uses each tool’s own variable or flag', () => {
    const commands = byEcosystem(caTrustLines(CA));
    expect(commands.node).toBe(`export NODE_EXTRA_CA_CERTS="${CA}"`);
    expect(commands['python-requests']).toBe(`export REQUESTS_CA_BUNDLE="${CA}"`);
    expect(commands['python-ssl']).toBe(`export SSL_CERT_FILE="${CA}"`);
    expect(commands.curl).toMatch(/^curl --cacert "/);
    expect(byEcosystem(caTrustLines(CA, { url: 'https://localhost:4400/t/v2.0/.well-known/openid-configuration' })).curl).toBe(
      `curl --cacert "${CA}" https://localhost:4400/t/v2.0/.well-known/openid-configuration`,
    );
    // update-ca-certificates only picks up files ending in .crt under /usr/local/share/ca-certificates.
    expect(commands['os-linux']).toMatch(/\/usr\/local\/share\/ca-certificates\/[\w-]+\.crt && sudo update-ca-certificates$/);
    expect(commands['os-windows']).toContain('-CertStoreLocation Cert:\\CurrentUser\\Root');
    expect(commands['os-macos']).toContain('add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain');
    expect(commands.java).toContain('keytool -importcert -noprompt');
    expect(commands.java).toContain('-Djavax.net.ssl.trustStore="/home/ada/entra-flows-lab/.lab/ca/truststore.p12"');
  });

  it('keeps only the running platform’s operating-system store when given one', () => {
    expect(
      caTrustLines(CA, { platform: 'linux' })
        .filter((line) => line.ecosystem.startsWith('os-'))
        .map((line) => line.ecosystem),
    ).toEqual(['os-linux']);
    expect(
      caTrustLines(CA, { platform: 'win32' })
        .filter((line) => line.ecosystem.startsWith('os-'))
        .map((line) => line.ecosystem),
    ).toEqual(['os-windows']);
    expect(caTrustLines(CA, { platform: 'darwin' }).some((line) => line.ecosystem === 'os-macos')).toBe(true);
    expect(isTrustPlatform('linux')).toBe(true);
    expect(isTrustPlatform('aix')).toBe(false);
  });

  it('puts the Java trust store next to a Windows path with backslashes', () => {
    const java = byEcosystem(caTrustLines('C:\\lab\\.lab\\ca\\ca.pem')).java;
    expect(java).toContain('-keystore "C:\\lab\\.lab\\ca\\truststore.p12"');
  });
});
