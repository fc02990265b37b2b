/**
 * What a page costs a reader in JavaScript: every script Chromium actually fetched while the page
 * loaded and went idle (Starlight loads its search UI on idle), plus the page's inline scripts,
 * gzipped. Shared by `bench/pages.bench.ts` and the e2e budget test, and measured against a plain
 * Starlight site built from `tests/fixtures/plain-starlight/`.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright';
import { createSiteHandler } from '../../servers/site/main.ts';

export const PLAIN_STARLIGHT = join('tests', 'fixtures', 'plain-starlight');
/** The fixture page that stands for "a plain Starlight page": prose, a table and a code block. */
export const PLAIN_PAGE = '/guides/example/';
/** The same without a code block (so without Expressive Code's copy-button script). */
export const PLAIN_PAGE_WITHOUT_CODE = '/guides/second/';
/** Code blocks in Starlight's synced `<Tabs>`, which ship a script of their own. */
export const PLAIN_PAGE_WITH_TABS = '/guides/tabs/';

export interface ScriptWeight {
  url: string;
  bytes: number;
  gzipBytes: number;
}

export interface PageWeight {
  path: string;
  scripts: ScriptWeight[];
  /** Gzipped bytes of the scripts fetched from the network. */
  fetchedGzipBytes: number;
  /** Gzipped bytes of the inline `<script>` elements (JSON data blocks excluded). */
  inlineGzipBytes: number;
  totalGzipBytes: number;
}

const gzipSize = (data: Buffer | string) => gzipSync(data, { level: 9 }).length;

/** Loads `origin + path` in `page`, waits until the network is idle, and weighs its JavaScript. */
export async function measurePageJs(page: Page, origin: string, path: string): Promise<PageWeight> {
  const pending: Promise<ScriptWeight | undefined>[] = [];
  const onResponse = (response: import('playwright').Response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(
      response
        .body()
        .then((body) => ({ url: new URL(response.url()).pathname, bytes: body.length, gzipBytes: gzipSize(body) }))
        .catch(() => undefined),
    );
  };
  page.on('response', onResponse);
  try {
    await page.goto(new URL(path, origin).href, { waitUntil: 'networkidle' });
  } finally {
    page.off('response', onResponse);
  }
  const scripts = (await Promise.all(pending)).filter((s): s is ScriptWeight => s !== undefined);
  const inline = await page.$$eval('script:not([src])', (elements) =>
    elements
      .filter((e) => !e.getAttribute('type') || /^(module|text\/javascript)$/.test(e.getAttribute('type') ?? ''))
      .map((e) => e.textContent ?? ''),
  );
  const fetchedGzipBytes = scripts.reduce((sum, s) => sum + s.gzipBytes, 0);
  const inlineGzipBytes = inline.filter((code) => code.trim()).reduce((sum, code) => sum + gzipSize(code), 0);
  return { path, scripts, fetchedGzipBytes, inlineGzipBytes, totalGzipBytes: fetchedGzipBytes + inlineGzipBytes };
}

/** Serves a built site on an ephemeral loopback port with the lab's own static server. */
export async function serveDist(root: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer(createSiteHandler(root));
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

async function fixtureHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(PLAIN_STARLIGHT, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && !/(^|\/)(dist|node_modules|\.astro)(\/|$)/.test(join(e.parentPath, e.name).slice(PLAIN_STARLIGHT.length)))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) hash.update(file).update(await readFile(file));
  // A Starlight or Astro upgrade changes the baseline too.
  for (const pkg of ['@astrojs/starlight', 'astro']) hash.update(await readFile(join('node_modules', pkg, 'package.json')));
  return hash.digest('hex');
}

/** Runs `astro build` for a project root; resolves with the wall time in milliseconds. */
export function astroBuild(root: string, options: { outDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const args = ['node_modules/astro/bin/astro.mjs', 'build', '--root', root, ...(options.outDir ? ['--outDir', options.outDir] : [])];
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    const child = spawn(process.execPath, args, {
      env: { ...env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('close', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`astro build --root ${root} exited with ${code}:\n${output.join('')}`));
    });
  });
}

/** Builds the plain Starlight fixture unless its last build is still current; returns its dist/. */
export async function ensurePlainStarlightBuilt(): Promise<string> {
  const dist = join(PLAIN_STARLIGHT, 'dist');
  const stamp = join(dist, '.lab-fixture-hash');
  const hash = await fixtureHash();
  if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === hash) return dist;
  await astroBuild(PLAIN_STARLIGHT);
  await writeFile(stamp, hash);
  return dist;
}
