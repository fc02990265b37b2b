/**
 * The README's two commands on a new engineer's machine with today's npm (issue 22).
 *
 * npm 12 blocks dependency install scripts that package.json's `allowScripts` does not approve, and
 * the lab needs two of them: the npm package `node` (the Node.js 24 every npm script runs on) and
 * esbuild. This test is that machine: npm 12 run by Node.js 20 (too old for the lab), both installed
 * from the npm registry into a folder of their own, and a fresh clone of this checkout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadLabConfig } from '../../src/config/lab.ts';
import { PORT_ENV, type PortName } from '../../src/config/sandbox.ts';
import { cloneWorkingTree, type Ran, runToEnd, userShellEnv } from '../support/fresh-clone.ts';
import { freshClonePorts } from '../support/test-ports.ts';

const OLD_NODE_MAJOR = 20;
const NPM_MAJOR = 12;
const MINUTE = 60_000;

const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'entra-lab-npm12-'));
const tools = join(work, 'tools');
const lab = join(work, 'lab');
const oldNodeBin = join(tools, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin');
const npm12 = join(tools, 'node_modules', 'npm', 'bin', 'npm-cli.js');

const ports = freshClonePorts();
const portEnv = Object.fromEntries(Object.entries(ports).map(([name, port]) => [PORT_ENV[name as PortName], String(port)]));
const env = userShellEnv(oldNodeBin, { ...portEnv, ASTRO_TELEMETRY_DISABLED: '1' });
const siteOrigin = loadLabConfig({ ...portEnv, LAB_MODE: 'sandbox' }).siteOrigin;
const scripts = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>);

/** `npm <args>` in the clone, as the user types it: npm 12, run by the Node.js on the PATH (20). */
const npm = (args: string[], timeoutMs = MINUTE): Ran => runToEnd(join(oldNodeBin, 'node'), [npm12, ...args], { cwd: lab, env, timeoutMs });
const runScript = (name: string) => npm(name === 'start' || name === 'test' ? [name] : ['run', name]);

const STACK_FRAME = /^\s+at .+\(?.+:\d+:\d+\)?$/m;
const ENGINES_NODE = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
const NODE_TOO_OLD = `Entra Flows Lab needs Node.js ${ENGINES_NODE}; this is Node.js ${OLD_NODE_MAJOR}.`;

beforeAll(() => {
  // The test's own tools, from the npm registry: npm 12 and a Node.js 20 binary (no install script).
  const installed = runToEnd(
    'npm',
    [
      'install',
      '--prefix',
      tools,
      '--no-save',
      '--no-audit',
      '--no-fund',
      `npm@${NPM_MAJOR}`,
      `node-${process.platform}-${process.arch}@${OLD_NODE_MAJOR}`,
    ],
    { cwd: work, env: process.env, timeoutMs: 3 * MINUTE },
  );
  if (installed.status !== 0) throw new Error(`Could not install npm ${NPM_MAJOR} and Node.js ${OLD_NODE_MAJOR}:\n${installed.output}`);
  cloneWorkingTree(root, lab);
}, 5 * MINUTE);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe(`a fresh clone, npm ${NPM_MAJOR} on Node.js ${OLD_NODE_MAJOR}`, () => {
  test('the tools are what the test says: Node.js 20 first on the PATH, npm 12', () => {
    expect(runToEnd('node', ['--version'], { cwd: lab, env, timeoutMs: MINUTE }).stdout).toMatch(new RegExp(`^v${OLD_NODE_MAJOR}\\.`));
    expect(npm(['--version']).stdout.trim()).toMatch(new RegExp(`^${NPM_MAJOR}\\.`));
  });

  test('before `npm install`, npm start says to install first, with no stack trace', () => {
    const start = npm(['start']);
    expect(start.status).not.toBe(0);
    expect(start.output).toContain(NODE_TOO_OLD);
    expect(start.output).toContain('Run `npm install` first');
    expect(start.output).not.toMatch(STACK_FRAME);
  });

  test(
    'npm ci runs the approved install scripts, blocks none, and brings the bundled Node.js 24',
    () => {
      const install = npm(['ci', '--no-audit', '--no-fund'], 5 * MINUTE);
      expect(install.status, install.output).toBe(0);
      expect(install.output).not.toMatch(/install.scripts|allowScripts|blocked/i);
      const bundled = JSON.parse(readFileSync(join(lab, 'node_modules', 'node', 'package.json'), 'utf8')).version as string;
      const version = runToEnd(join(lab, 'node_modules', '.bin', 'node'), ['--version'], { cwd: lab, env, timeoutMs: MINUTE });
      expect(version.stdout.trim()).toBe(`v${bundled}`);
    },
    6 * MINUTE,
  );

  test(
    'npm start builds the site and serves the home page, on the bundled Node.js',
    async () => {
      const child = spawn(join(oldNodeBin, 'node'), [npm12, 'start'], { cwd: lab, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      try {
        const home = await firstAnswer(`${siteOrigin}/`, child, () => output, 4 * MINUTE);
        expect(home.status).toBe(200);
        expect(await home.text()).toContain('<title>Entra Flows Lab');
        expect(output).toMatch(/Ready in [\d.]+ s/);
        expect(output).not.toMatch(STACK_FRAME);
      } finally {
        await stopGroup(child);
      }
    },
    5 * MINUTE,
  );

  test(
    'with the bundled Node.js missing, every npm script says what to do, with no stack trace',
    () => {
      // What an install that skipped the `node` package's preinstall leaves (`npm ci --ignore-scripts`,
      // or an npm that blocks it): the package without its bin/ and no node_modules/.bin/node.
      rmSync(join(lab, 'node_modules', '.bin', 'node'));
      rmSync(join(lab, 'node_modules', 'node', 'bin'), { recursive: true, force: true });
      for (const script of scripts) {
        const ran = runScript(script);
        expect(ran.status, `npm run ${script}:\n${ran.output}`).not.toBe(0);
        expect(ran.output, `npm run ${script}`).toContain(NODE_TOO_OLD);
        expect(ran.output, `npm run ${script}`).toContain('Run `npm rebuild node`.');
        expect(ran.output, `npm run ${script}`).not.toMatch(STACK_FRAME);
        expect(ran.output, `npm run ${script}`).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
      }
    },
    5 * MINUTE,
  );

  test(
    'the fix the message gives, `npm rebuild node`, brings the bundled Node.js back',
    () => {
      const rebuilt = npm(['rebuild', 'node'], 3 * MINUTE);
      expect(rebuilt.status, rebuilt.output).toBe(0);
      const check = npm(['run', 'bench', '--', 'no-such-bench']);
      expect(check.output).not.toContain(NODE_TOO_OLD);
      expect(check.output).toContain('No benchmark matches no-such-bench');
    },
    4 * MINUTE,
  );
});

/** Polls `url` until it answers; fails early with the lab's output if `npm start` exits first. */
async function firstAnswer(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode} before serving ${url}:\n${output()}`);
    try {
      return await fetch(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`npm start did not serve ${url} within ${timeoutMs / 1000} s:\n${output()}`);
}

/** Ctrl-C to npm and the lab under it, as in a terminal; SIGKILL if they are still there after 30 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGINT');
  const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
