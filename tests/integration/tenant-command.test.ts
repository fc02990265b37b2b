/**
 * `npm run tenant`: the sandbox tenant on its own, as another project starts it for its local runs
 * and end-to-end tests. Spawned as a real child process: it prints a ready line with the discovery
 * URL, serves discovery, lists the directory file's apps, and stops on SIGINT with exit code 0
 * (through npm: SIGINT to the process the banner names; Ctrl-C in a terminal signals the whole
 * process group, and npm then reports the interrupt itself, as for any npm script). Bad flags, a taken port and a bad file
 * get one clear message each, never a stack trace.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READY_LINE } from '../../scripts/lib/tenant-banner.ts';
import { freePort } from '../support/tenant-http.ts';

const APP_ID = '9cf443dc-47fe-43c4-802e-707868f71ae6';
let folder: string;
let directory: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tenant-command-'));
  directory = join(folder, 'directory.yaml');
  await writeFile(
    directory,
    `apps:\n  - clientId: ${APP_ID}\n    displayName: Command test SPA\n    platform: spa\n    redirectUris: [http://localhost:5173/]\nusers:\n  - userPrincipalName: erin@contoso.onmicrosoft.com\n    displayName: Erin\n    password: erin-password\n`,
  );
});

afterAll(() => rm(folder, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a command in its own process group (so Ctrl-C can be sent to all of it, as a terminal does). */
function run(command: string, args: string[]): Run {
  const child = spawn(command, args, { cwd: process.cwd(), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  return { child, output: () => text, exited };
}

/** Resolves with the discovery URL of the ready line; rejects if the process ends first. */
async function ready(started: Run): Promise<string> {
  const line = new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = new RegExp(`${READY_LINE} (\\S+)`).exec(started.output());
      if (match) resolve(match[1] as string);
    };
    started.child.stdout?.on('data', check);
    started.exited.then(() => reject(new Error(`exited before it was ready:\n${started.output()}`)));
  });
  return line;
}

const ctrlC = (started: Run) => process.kill(-(started.child.pid as number), 'SIGINT');

describe('npm run tenant', () => {
  it('starts only the tenant, prints its discovery URL and apps, serves discovery, and SIGINT stops it with exit code 0', async () => {
    const port = await freePort();
    const started = run('npm', ['run', '--silent', 'tenant', '--', '--port', String(port), '--directory', directory]);
    try {
      const discovery = await ready(started);
      expect(discovery).toBe(`https://localhost:${port}/2969b0e3-a652-459a-bdcf-61ff9605219c/v2.0/.well-known/openid-configuration`);
      const document = (await (await fetch(discovery)).json()) as Record<string, unknown>;
      expect(document.token_endpoint).toBe(`https://localhost:${port}/2969b0e3-a652-459a-bdcf-61ff9605219c/oauth2/v2.0/token`);
      expect(started.output()).toContain(`Authority   https://localhost:${port}/2969b0e3-a652-459a-bdcf-61ff9605219c`);
      expect(started.output()).toContain('1 app, 1 user added to the sandbox tenant');
      expect(started.output()).toContain(`${APP_ID}  Command test SPA (spa)`);
      expect(started.output()).toContain('erin@contoso.onmicrosoft.com');
      expect(started.output()).not.toContain('erin-password');
      // Where the lab's CA is, so another project's client can trust it.
      expect(started.output()).toMatch(/NODE_EXTRA_CA_CERTS=\S*ca\.pem/);
      // What another project's test runner does: SIGINT to the process the banner names.
      const pid = Number(/send SIGINT or SIGTERM to process (\d+)/.exec(started.output())?.[1]);
      expect(pid).toBeGreaterThan(0);
      expect(pid).not.toBe(started.child.pid);
      process.kill(pid, 'SIGINT');
      expect(await started.exited).toEqual({ code: 0, signal: null });
      expect(started.output()).toContain('Stopping the sandbox tenant');
      // Nothing of the lab is left listening on that port.
      await expect(fetch(discovery)).rejects.toThrow();
    } finally {
      if (started.child.exitCode === null && started.child.signalCode === null) process.kill(-(started.child.pid as number), 'SIGKILL');
    }
  });
});

describe('scripts/tenant.ts (what npm run tenant runs)', () => {
  it('Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops it with exit code 0', async () => {
    const started = run(process.execPath, ['scripts/tenant.ts', '--port', String(await freePort())]);
    await ready(started);
    expect(started.output()).toContain('No directory file: only the built-in apps and users.');
    ctrlC(started);
    expect(await started.exited).toEqual({ code: 0, signal: null });
  });

  it.each([
    [['--prot', '1'], 2, "Unknown option '--prot'"],
    [['--port', 'eighty'], 2, '--port eighty is not a TCP port.'],
    [['--directory', '/nowhere/directory.yaml'], 1, '/nowhere/directory.yaml: does not exist'],
  ])('%j: exit %i with a clear message', async (args, code, message) => {
    const started = run(process.execPath, ['scripts/tenant.ts', ...args]);
    expect((await started.exited).code).toBe(code);
    expect(started.output()).toContain(message);
    expect(started.output()).not.toMatch(/\n\s+at /);
  });

  it('a bad directory file: every problem, exit 1', async () => {
    const bad = join(folder, 'bad.yaml');
    await writeFile(bad, 'apps:\n  - clientId: nope\n    displayName: Bad\n    platform: spa\n    redirectUris: [http://example.com/]\n');
    const started = run(process.execPath, ['scripts/tenant.ts', '--port', String(await freePort()), '--directory', bad]);
    expect((await started.exited).code).toBe(1);
    expect(started.output()).toContain('has 2 problems');
    expect(started.output()).toContain('apps[0] "Bad" › clientId is "nope", which is not a GUID.');
    expect(started.output()).not.toMatch(/\n\s+at /);
  });

  it('a taken port: says so and names --port, exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, 'localhost', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const started = run(process.execPath, ['scripts/tenant.ts', '--port', String(port)]);
      expect((await started.exited).code).toBe(1);
      expect(started.output()).toContain(`Port ${port} is already in use`);
      expect(started.output()).toContain('--port');
    } finally {
      blocker.close();
    }
  });

  it('--help documents the flags', async () => {
    const started = run(process.execPath, ['scripts/tenant.ts', '--help']);
    expect((await started.exited).code).toBe(0);
    expect(started.output()).toContain('Usage: npm run tenant -- [--port N] [--directory FILE]');
  });
});
