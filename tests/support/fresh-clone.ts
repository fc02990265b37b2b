/**
 * A fresh clone of this checkout, and a user's shell to run npm in: what a new engineer has after
 * `git clone`, before `npm install`. Used by tests/install/.
 */
import { execFileSync, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/**
 * Clones `from` into `to` and lays the working tree's uncommitted changes and untracked files on
 * top, so a developer's test run checks what they have, and CI's (a clean clone) checks main.
 */
export function cloneWorkingTree(from: string, to: string): void {
  execFileSync('git', ['clone', '-q', from, to]);
  const diff = execFileSync('git', ['diff', 'HEAD', '--binary'], { cwd: from });
  if (diff.length > 0) execFileSync('git', ['apply', '--whitespace=nowarn'], { cwd: to, input: diff });
  const untracked = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '-z'], { cwd: from, encoding: 'utf8' });
  for (const file of untracked.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(from, file), join(to, file));
  }
}

/**
 * The environment of a user's shell: this process's, less what npm, Vitest and the test run set
 * (npm_* variables, NODE_ENV, the lab's ports), and with `nodeBin` first on the PATH in place of any
 * node_modules/.bin, so `node` is the Node.js that the test chose.
 */
export function userShellEnv(nodeBin: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|LAB_)/i.test(name) || name === 'NODE_ENV' || name === 'NODE_OPTIONS' || name === 'INIT_CWD') continue;
    env[name] = value;
  }
  const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => !/node_modules[\\/]\.bin/.test(dir));
  env.PATH = [nodeBin, ...path].join(delimiter);
  return { ...env, ...extra };
}

export type Ran = Pick<SpawnSyncReturns<string>, 'status' | 'stdout' | 'stderr'> & { output: string };

/** Runs a command to its end and keeps stdout and stderr together, as a terminal would show them. */
export function runToEnd(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Ran {
  const result = spawnSync(command, args, { ...options, timeout: options.timeoutMs, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const { status, stdout = '', stderr = '' } = result;
  return { status, stdout, stderr, output: `${stdout}${stderr}` };
}
