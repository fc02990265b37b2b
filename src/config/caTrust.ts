/**
 * How to make your own client trust the lab's certificate authority (`.lab/ca/ca.pem`), one line per
 * ecosystem. `npm start` prints these lines and the "your own app" guide renders the same ones, so
 * the two cannot disagree. Pure (no Node API): it only builds strings from the CA file's path.
 *
 * Each line changes trust for one process or shell, except the operating-system stores (.NET and
 * browsers read those), which change it for the whole machine until the certificate is removed.
 */

export type CaTrustEcosystem = 'node' | 'python-requests' | 'python-ssl' | 'curl' | 'os-linux' | 'os-windows' | 'os-macos' | 'java';

export interface CaTrustLine {
  ecosystem: CaTrustEcosystem;
  /** A short name for a list: "Node.js", ".NET on Linux"… */
  label: string;
  /** Who reads it: the libraries this line covers. */
  covers: string;
  /** The command, with the CA's path filled in. */
  command: string;
  /** What to know before running it. */
  note?: string;
  source: { url: string; title: string };
}

/** The platforms `npm start` can run on, as `process.platform` names them. */
export type TrustPlatform = 'linux' | 'win32' | 'darwin';

/** Double quotes around a path, so one with spaces survives every shell used here (sh, PowerShell). */
const quoted = (path: string) => `"${path}"`;

/** The folder of a path, with either separator (no node:path: this module also runs in the browser). */
function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? '.' : path.slice(0, cut);
}

export interface CaTrustOptions {
  /** Keep only this platform's operating-system store line (what `npm start` prints); default: all three. */
  platform?: TrustPlatform;
  /** The URL the curl line fetches, e.g. the tenant's discovery document. */
  url?: string;
}

/** The trust lines for the CA at `caPath` (absolute, as the user will paste it). */
export function caTrustLines(caPath: string, options: CaTrustOptions = {}): CaTrustLine[] {
  const { platform } = options;
  const ca = quoted(caPath);
  const separator = caPath.includes('\\') && !caPath.includes('/') ? '\\' : '/';
  const truststore = `${folderOf(caPath)}${separator}truststore.p12`;
  const lines: CaTrustLine[] = [
    {
      ecosystem: 'node',
      label: 'Node.js',
      covers: 'Node.js: fetch, https, MSAL Node, @azure/identity, openid-client, jwks-rsa',
      command: `export NODE_EXTRA_CA_CERTS=${ca}`,
      note: 'Read once when Node starts: set it before starting your app. Node keeps its own trusted CAs too.',
      source: { url: 'https://nodejs.org/api/cli.html#node_extra_ca_certsfile', title: 'Node.js CLI: NODE_EXTRA_CA_CERTS' },
    },
    {
      ecosystem: 'python-requests',
      label: 'Python: requests, MSAL Python',
      covers: 'Python requests, and so MSAL Python',
      command: `export REQUESTS_CA_BUNDLE=${ca}`,
      note: 'Replaces requests’ own CA list for that shell: other https sites fail there until you unset it.',
      source: {
        url: 'https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification',
        title: 'Requests: SSL Cert Verification',
      },
    },
    {
      ecosystem: 'python-ssl',
      label: 'Python: urllib, PyJWT',
      covers: 'Python’s default SSL context: urllib, and so PyJWT’s PyJWKClient',
      command: `export SSL_CERT_FILE=${ca}`,
      note: 'OpenSSL’s variable, read by Python on Linux and macOS; it replaces the default CA file for that shell.',
      source: {
        url: 'https://docs.python.org/3/library/ssl.html#ssl.get_default_verify_paths',
        title: 'Python ssl: get_default_verify_paths',
      },
    },
    {
      ecosystem: 'curl',
      label: 'curl',
      covers: 'curl',
      command: `curl --cacert ${ca} ${options.url ?? '<https URL of the tenant>'}`,
      source: { url: 'https://curl.se/docs/manpage.html#--cacert', title: 'curl man page: --cacert' },
    },
    {
      ecosystem: 'os-linux',
      label: '.NET on Linux',
      covers: '.NET (HttpClient, MSAL.NET, Microsoft.Identity.Web) and other OpenSSL clients on Debian/Ubuntu',
      command: `sudo cp ${ca} /usr/local/share/ca-certificates/entra-flows-lab.crt && sudo update-ca-certificates`,
      note: 'Machine-wide. Undo: delete that .crt file and run sudo update-ca-certificates --fresh.',
      source: {
        url: 'https://manpages.ubuntu.com/manpages/questing/man8/update-ca-certificates.8.html',
        title: 'update-ca-certificates(8)',
      },
    },
    {
      ecosystem: 'os-windows',
      label: '.NET on Windows',
      covers: '.NET (HttpClient, MSAL.NET, Microsoft.Identity.Web) and browsers on Windows',
      command: `Import-Certificate -FilePath ${ca} -CertStoreLocation Cert:\\CurrentUser\\Root`,
      note: 'PowerShell, for your user only; Windows asks you to confirm. Undo: remove it with certmgr.msc (Trusted Root Certification Authorities).',
      source: { url: 'https://learn.microsoft.com/powershell/module/pki/import-certificate', title: 'Import-Certificate (pki)' },
    },
    {
      ecosystem: 'os-macos',
      label: '.NET on macOS',
      covers: '.NET (HttpClient, MSAL.NET, Microsoft.Identity.Web) and browsers on macOS',
      command: `sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${ca}`,
      note: 'Machine-wide; macOS asks for an administrator password. Undo: delete it in Keychain Access (System).',
      source: { url: 'https://ss64.com/mac/security-cert.html', title: 'security(1): add-trusted-cert' },
    },
    {
      ecosystem: 'java',
      label: 'Java',
      covers: 'Java (JSSE: HttpClient, MSAL4J)',
      command: `keytool -importcert -noprompt -alias entra-flows-lab -file ${ca} -keystore ${quoted(truststore)} -storetype PKCS12 -storepass changeit && java -Djavax.net.ssl.trustStore=${quoted(truststore)} -Djavax.net.ssl.trustStorePassword=changeit …`,
      note: 'That trust store holds only the lab’s CA, so that JVM trusts nothing else; import into a copy of your JDK’s cacerts to keep both.',
      source: {
        url: 'https://docs.oracle.com/en/java/javase/21/docs/specs/man/keytool.html',
        title: 'keytool (Java SE 21)',
      },
    },
  ];
  const osLine: Record<TrustPlatform, CaTrustEcosystem> = { linux: 'os-linux', win32: 'os-windows', darwin: 'os-macos' };
  if (!platform) return lines;
  return lines.filter((line) => !line.ecosystem.startsWith('os-') || line.ecosystem === osLine[platform]);
}

/** Whether `npm start` can print a platform-specific line for `process.platform`. */
export function isTrustPlatform(value: string): value is TrustPlatform {
  return value === 'linux' || value === 'win32' || value === 'darwin';
}
