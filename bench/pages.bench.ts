/**
 * What the reading pages cost, against a plain Starlight site built in the same run
 * (tests/fixtures/plain-starlight): the JavaScript Chromium actually fetches per page type, gzipped,
 * and the build time, with the diagram cache warm (a normal rebuild) and cold (first build).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumPath } from '../src/config/chromium.ts';
import {
  astroBuild,
  measurePageJs,
  PLAIN_PAGE,
  PLAIN_PAGE_WITHOUT_CODE,
  PLAIN_STARLIGHT,
  serveDist,
} from '../tests/support/page-weight.ts';
import { printRatio } from './report.ts';

const PAGE_TYPES = [
  { label: 'home page', path: '/', baseline: PLAIN_PAGE },
  { label: 'guide with a diagram (The six steps)', path: '/guides/six-steps/', baseline: PLAIN_PAGE_WITHOUT_CODE },
  { label: 'guide without a diagram or code (Which flow do I need?)', path: '/guides/which-flow/', baseline: PLAIN_PAGE_WITHOUT_CODE },
  {
    label: 'guide with a diagram, code and live widgets (Authorization Code + PKCE)',
    path: '/guides/auth-code-pkce/',
    baseline: PLAIN_PAGE,
  },
  { label: 'reference page (Token claims)', path: '/reference/claims/', baseline: PLAIN_PAGE },
] as const;

const kb = (bytes: number) => bytes / 1024;

export default async function pagesBench(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'lab-pages-bench-'));
  try {
    const plainMs = await astroBuild(PLAIN_STARLIGHT, { outDir: join(work, 'plain') });
    const warmMs = await astroBuild('.', { outDir: join(work, 'site') });
    // Same build with an empty diagram cache: every diagram goes through Chromium once.
    const coldMs = await astroBuild('.', {
      outDir: join(work, 'site-cold'),
      env: { ...process.env, LAB_DIAGRAM_CACHE_DIR: join(work, 'diagram-cache') },
    });
    printRatio(
      'Build time, diagram cache warm (a normal rebuild)',
      { label: 'plain Starlight (4 pages)', value: plainMs / 1000, unit: 's' },
      { label: 'the lab', value: warmMs / 1000, unit: 's' },
      'lower',
    );
    printRatio(
      'Build time, diagram cache cold (first build)',
      { label: 'plain Starlight (4 pages)', value: plainMs / 1000, unit: 's' },
      { label: 'the lab', value: coldMs / 1000, unit: 's' },
      'lower',
    );

    const plain = await serveDist(join(work, 'plain'));
    const site = await serveDist(join(work, 'site'));
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      const page = await browser.newPage();
      const baselines = new Map<string, number>();
      for (const path of [PLAIN_PAGE, PLAIN_PAGE_WITHOUT_CODE])
        baselines.set(path, (await measurePageJs(page, plain.origin, path)).totalGzipBytes);
      for (const type of PAGE_TYPES) {
        const weight = await measurePageJs(page, site.origin, type.path);
        printRatio(
          `JavaScript per page (gzipped, fetched + inline): ${type.label}`,
          { label: `plain Starlight ${type.baseline}`, value: kb(baselines.get(type.baseline) as number), unit: 'KB' },
          { label: `the lab ${type.path}`, value: kb(weight.totalGzipBytes), unit: 'KB' },
          'lower',
        );
      }
    } finally {
      await browser.close();
      await plain.close();
      await site.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
