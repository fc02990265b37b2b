/**
 * The build stamp: a hash of everything a build of the site was made from (sources, the public lab
 * config whose ports and tenant end up in the pages, the Node version), written by the build itself.
 *
 * Every `astro build`, whether `npm start` ran it or someone ran `npm run build` with other
 * settings, leaves the stamp of what it built, so `npm start` can tell a current build from a stale
 * one instead of trusting the last build it made itself.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { labConfigFromEnv } from '../config/env.ts';
import { DEFAULT_SITE_OUT_DIR, type LabConfig, publicConfig } from '../config/lab.ts';

/** Everything the built pages depend on. `servers/` is in because pages show its source. */
const SOURCE_DIRS = ['src', 'content', 'public', 'servers'];
const SOURCE_FILES = ['astro.config.mjs', 'ec.config.mjs', 'package-lock.json', 'tsconfig.json'];

/**
 * Where the stamp of a build folder is kept: `.lab/site-build.json` for `dist`, `{folder}.build.json`
 * for another folder (`LAB_SITE_OUT_DIR`), so each build has its own stamp.
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

export type StampReading = { hash: string } | { problem: string };

/** The stamp of the build in `outDir`, or why there is none to trust (missing, truncated, not a stamp). */
export async function readBuildStamp(outDir: string): Promise<StampReading> {
  const path = buildStampPath(outDir);
  if (!existsSync(join(outDir, 'index.html'))) return { problem: `there is no build in ${outDir}/ yet` };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { problem: `the build in ${outDir}/ has no stamp (${path})` };
  }
  try {
    const stamp = JSON.parse(text) as { hash?: unknown };
    if (typeof stamp.hash === 'string' && /^[0-9a-f]{64}$/.test(stamp.hash)) return { hash: stamp.hash };
  } catch {
    // falls through: a truncated or hand-edited stamp is simply not trusted
  }
  return { problem: `the build stamp ${path} is unreadable (truncated or edited)` };
}

export async function writeBuildStamp(outDir: string, hash: string): Promise<void> {
  const path = buildStampPath(outDir);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify({ hash, builtAt: new Date().toISOString() }, null, 2));
}

/** Writes the stamp of what this build was made from, at the end of every `astro build`. */
export function buildStamp(): AstroIntegration {
  return {
    name: 'entra-flows-lab:build-stamp',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        const config = labConfigFromEnv();
        // The folder this build wrote: `astro build --outDir elsewhere` (the page-weight bench does)
        // must never vouch for the config's folder, which still holds an older build.
        const built = fileURLToPath(dir).replace(/[\\/]+$/, '');
        const outDir = resolve(built) === resolve(config.siteOutDir) ? config.siteOutDir : built;
        await writeBuildStamp(outDir, await sourceHash(config));
      },
    },
  };
}
