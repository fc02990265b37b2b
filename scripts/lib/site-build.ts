/**
 * Builds the site only when something it is built from has changed, so a presenter's second
 * `npm start` takes a second instead of a full build.
 */
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { DEFAULT_SITE_OUT_DIR } from '../../src/config/lab.ts';
import { readBuildStamp } from '../../src/integrations/buildStamp.ts';

export { sourceHash } from '../../src/integrations/buildStamp.ts';

export type Freshness = { fresh: true } | { fresh: false; why: string };

/** Whether the build in `outDir` was made from exactly these sources and settings (its stamp says so). */
export async function buildFreshness(hash: string, outDir = DEFAULT_SITE_OUT_DIR): Promise<Freshness> {
  const stamp = await readBuildStamp(outDir);
  if ('problem' in stamp) return { fresh: false, why: stamp.problem };
  if (stamp.hash !== hash) return { fresh: false, why: `the build in ${outDir}/ was made from other sources or settings` };
  return { fresh: true };
}

export async function isBuildFresh(hash: string, outDir = DEFAULT_SITE_OUT_DIR): Promise<boolean> {
  return (await buildFreshness(hash, outDir)).fresh;
}

/**
 * Runs `astro build` into `outDir` (astro.config.mjs reads it as LAB_SITE_OUT_DIR), printing its
 * stages as progress; the full log is printed only on failure. The build writes its own stamp
 * (src/integrations/buildStamp.ts).
 */
export async function buildSite(log: (line: string) => void, outDir = DEFAULT_SITE_OUT_DIR): Promise<void> {
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
}
