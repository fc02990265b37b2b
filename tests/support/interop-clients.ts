/**
 * Runs the interop clients (tests/interop/clients/) the way their users run them: Debian's Python
 * with the python3-msal, python3-jwt and python3-requests packages, trusting the lab's CA through
 * the environment variable each library documents (src/config/caTrust.ts). Each script prints one
 * JSON object on stdout; a script that fails says why on stderr, and the error carries it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { certificateAuthorityPaths } from '../../servers/tls/certificateAuthority.ts';

/** Debian's interpreter (where apt installs python3-msal), unless LAB_PYTHON names another. */
export const PYTHON = process.env.LAB_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

export const CLIENTS_DIR = join('tests', 'interop', 'clients');

/** The lab CA's absolute path: what a user puts in REQUESTS_CA_BUNDLE or SSL_CERT_FILE. */
export const CA_PATH = resolve(certificateAuthorityPaths().certificate);

export function runPython(script: string, env: Record<string, string>, args: string[] = []): Promise<Record<string, unknown>> {
  return runClient(PYTHON, script, env, args);
}

/** A Node client, trusting the lab's CA through NODE_EXTRA_CA_CERTS as a user's own app would. */
export function runNode(script: string, env: Record<string, string>, args: string[] = []): Promise<Record<string, unknown>> {
  return runClient(process.execPath, script, { NODE_EXTRA_CA_CERTS: CA_PATH, ...env }, args);
}

function runClient(command: string, script: string, env: Record<string, string>, args: string[]): Promise<Record<string, unknown>> {
  return new Promise((done, fail) => {
    execFile(
      command,
      [join(CLIENTS_DIR, script), ...args],
      // Only what the script reads, plus PATH and HOME: no NODE_* or proxy settings leak in.
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        // A client that fails prints its error as JSON and exits with 1: that is a result too.
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = JSON.parse(stdout);
        } catch {
          parsed = undefined;
        }
        if (parsed && (!error || error.code === 1)) {
          done({ ...parsed, exitCode: error ? 1 : 0 });
          return;
        }
        const hint = /No module named '(msal|jwt|requests)'/.test(stderr)
          ? ` Install Debian's packages: apt-get install -y python3-msal python3-jwt python3-requests (or set LAB_PYTHON).`
          : '';
        fail(new Error(`${command} ${script} failed: ${stderr.trim() || error?.message || stdout.slice(0, 500)}${hint}`));
      },
    );
  });
}
