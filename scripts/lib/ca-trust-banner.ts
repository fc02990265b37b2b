/**
 * What `npm start` and `npm run tenant` print about the lab's certificate authority: where its
 * file is, and the one line per ecosystem that makes another app trust it (src/config/caTrust.ts).
 */
import { resolve } from 'node:path';
import { certificateAuthorityPaths } from '../../servers/tls/certificateAuthority.ts';
import { caTrustLines, isTrustPlatform } from '../../src/config/caTrust.ts';
import { authorityEndpoints, type LabConfig } from '../../src/config/lab.ts';

export function caTrustBanner(config: LabConfig, caCertificatePath = certificateAuthorityPaths().certificate): string[] {
  const caPath = resolve(caCertificatePath);
  const lines = caTrustLines(caPath, {
    platform: isTrustPlatform(process.platform) ? process.platform : undefined,
    url: authorityEndpoints(config).discovery,
  });
  return [
    `The tenant answers ${config.tenant.authority} over TLS with a certificate from the lab's own CA:`,
    `  ${caPath}`,
    'The lab trusts it already. To call the tenant from your own app, trust it there (sh syntax):',
    ...lines.map((line) => `  ${line.label.padEnd(30)} ${line.command}`),
  ];
}
