/**
 * Builds the site only when something it is built from has changed, so a presenter's second
 * `npm start` takes a second instead of a full build.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { DEFAULT_SITE_OUT_DIR, type LabConfig, publicConfig } from '../../src/config/lab.ts';

/** Everything the built pages depend on. `servers/` is in because pages show its source. */
const SOURCE_DIRS = ['src', 'content', 'public', 'servers'];
const SOURCE_FILES = ['astro.config.mjs', 'package-lock.json', 'tsconfig.json'];

/**
 * Where the hash of what a build folder was built from is kept: `.lab/site-build.json` for `dist`,
 * `{folder}.build.json` for another folder (`LAB_SITE_OUT_DIR`), so each build has its own stamp.
 */
export function buildStampPath(outDir: string): string {
  return outDir === DEFAULT_SITE_OUT_DIR ? join('.lab', 'site-build.json') : `${outDir}.build.json`;
}

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** A hash of the sources, the public config (ports end up in pages) and the Node version. */
export async function sourceHash(config: LabConfig): Promise<string> {
  const files = (await Promise.all(SOURCE_DIRS.map(listFiles))).flat().concat(SOURCE_FILES.filter(existsSync)).sort();
  const hash = createHash('sha256');
  hash.update(JSON.stringify(publicConfig(config)));
  hash.update(process.versions.node);
  for (const file of files) {
    hash.update(file);
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

export async function isBuildFresh(hash: string, outDir = DEFAULT_SITE_OUT_DIR): Promise<boolean> {
  const stampPath = buildStampPath(outDir);
  if (!existsSync(join(outDir, 'index.html')) || !existsSync(stampPath)) return false;
  const stamp = JSON.parse(await readFile(stampPath, 'utf8')) as { hash?: string };
  return stamp.hash === hash;
}

/**
 * Runs `astro build` into `outDir` (astro.config.mjs reads it as LAB_SITE_OUT_DIR), printing its
 * stages as progress; the full log is printed only on failure.
 */
export async function buildSite(hash: string, log: (line: string) => void, outDir = DEFAULT_SITE_OUT_DIR): Promise<void> {
  const started = Date.now();
  const lines: string[] = [];
  const child = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
    env: { ...process.env, LAB_SITE_OUT_DIR: outDir, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onData = (chunk: Buffer) => {
    for (const line of stripVTControlCharacters(chunk.toString()).split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      const stage = /\[(build|content|starlight:pagefind)\] (.*)/.exec(line);
      if (stage?.[2] && !/WARN/.test(line)) log(`  ${((Date.now() - started) / 1000).toFixed(1)} s  ${stage[2]}`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) {
    throw new Error(`The site build failed (astro build exited with ${code}):\n${lines.join('\n')}`);
  }
  await mkdir('.lab', { recursive: true });
  await writeFile(buildStampPath(outDir), JSON.stringify({ hash, builtAt: new Date().toISOString() }, null, 2));
}
