/**
 * A stale build is never served as current: every `astro build` stamps what it was built from, and
 * `npm start` rebuilds when the stamp names other sources or settings, is missing, or is truncated.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFreshness, sourceHash } from '../../../scripts/lib/site-build.ts';
import { loadLabConfig } from '../../../src/config/lab.ts';
import { buildStamp, buildStampPath } from '../../../src/integrations/buildStamp.ts';

let outDir: string;
const saved = { ...process.env };

beforeEach(async () => {
  // A build folder of the kind the config allows (.lab/site-<name>), one per test.
  outDir = `.lab/site-stamp-test-${randomBytes(4).toString('hex')}`;
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.html'), '<!doctype html><title>built</title>');
});

afterEach(async () => {
  process.env = { ...saved };
  await rm(outDir, { recursive: true, force: true });
  await rm(buildStampPath(outDir), { force: true });
});

/** Runs the build's own last step, as `astro build` does, with these settings in the environment. */
async function buildWith(env: Record<string, string>, wrote = outDir): Promise<void> {
  Object.assign(process.env, { LAB_SITE_OUT_DIR: outDir }, env);
  const hook = buildStamp().hooks['astro:build:done'] as unknown as (options: { dir: URL }) => Promise<void>;
  await hook({ dir: pathToFileURL(`${resolve(wrote)}/`) });
}

const configWith = (env: Record<string, string>) => loadLabConfig({ ...process.env, LAB_SITE_OUT_DIR: outDir, ...env });

describe('build stamp', () => {
  it('a build made with the same settings is fresh', async () => {
    await buildWith({ LAB_SITE_PORT: '4321' });
    const hash = await sourceHash(configWith({ LAB_SITE_PORT: '4321' }));
    expect(await buildFreshness(hash, outDir)).toEqual({ fresh: true });
  });

  it('`npm run build` with other settings makes the next start rebuild (other ports end up in pages)', async () => {
    await buildWith({ LAB_SITE_PORT: '5321' });
    const hash = await sourceHash(configWith({ LAB_SITE_PORT: '4321' }));
    expect(await buildFreshness(hash, outDir)).toEqual({
      fresh: false,
      why: `the build in ${outDir}/ was made from other sources or settings`,
    });
  });

  it('a truncated stamp means rebuild, with the file named, not a JSON error', async () => {
    await buildWith({});
    const text = await readFile(buildStampPath(outDir), 'utf8');
    await writeFile(buildStampPath(outDir), text.slice(0, 20));
    const freshness = await buildFreshness('0'.repeat(64), outDir);
    expect(freshness).toEqual({ fresh: false, why: `the build stamp ${buildStampPath(outDir)} is unreadable (truncated or edited)` });
  });

  it('a build with no stamp (another tool built it) is not trusted', async () => {
    const freshness = await buildFreshness('0'.repeat(64), outDir);
    expect(freshness).toEqual({ fresh: false, why: `the build in ${outDir}/ has no stamp (${buildStampPath(outDir)})` });
  });

  it('a build written to another folder (astro build --outDir) does not make the configured folder fresh', async () => {
    await buildWith({ LAB_SITE_PORT: '4321' });
    await writeFile(buildStampPath(outDir), JSON.stringify({ hash: 'an older build' }));
    const elsewhere = `${outDir}-elsewhere`;
    try {
      await buildWith({ LAB_SITE_PORT: '4321' }, elsewhere);
      const config = configWith({ LAB_SITE_PORT: '4321' });
      expect((await buildFreshness(await sourceHash(config), outDir)).fresh).toBe(false);
      expect(JSON.parse(await readFile(buildStampPath(resolve(elsewhere)), 'utf8')).hash).toBe(await sourceHash(config));
    } finally {
      await rm(buildStampPath(resolve(elsewhere)), { force: true });
    }
  });

  it('no build at all', async () => {
    await rm(outDir, { recursive: true });
    expect(await buildFreshness('0'.repeat(64), outDir)).toEqual({ fresh: false, why: `there is no build in ${outDir}/ yet` });
  });
});
