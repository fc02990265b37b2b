/**
 * Renders Mermaid source to SVG at build time with mermaid-isomorphic and the system Chromium,
 * so reading pages ship the picture and no diagram JavaScript.
 *
 * Each SVG is cached on disk, keyed by a hash of everything that shapes it (source, layout options,
 * id, Mermaid version), so a rebuild with unchanged flows never starts a browser. All diagrams that
 * miss the cache go to Chromium in one batch, in one browser.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMermaidRenderer, type MermaidRenderer } from 'mermaid-isomorphic';
import { chromiumArgs, chromiumPath } from '../../config/chromium.ts';
import { renameSvgId } from './svgHooks.ts';

/**
 * Build cache, next to the other tools' caches; deleting it only costs one slower build.
 * `LAB_DIAGRAM_CACHE_DIR` moves it (the benchmark uses an empty one to time a cold build).
 */
export const DIAGRAM_CACHE_DIR = process.env.LAB_DIAGRAM_CACHE_DIR?.trim() || join('node_modules', '.cache', 'entra-flows-lab', 'diagrams');

/** Bump when the rendering changes in a way the cache key does not see. */
const RENDER_VERSION = 2;

/**
 * Layout only: colours come from the component's stylesheet (see `stripStyleElements`).
 * Part of the cache key.
 */
export const mermaidConfig = {
  theme: 'base',
  themeVariables: { fontSize: '17px' },
  // Arial is metric-compatible with Liberation Sans, which Chromium uses on Linux build machines,
  // so boxes measured at build time fit the text on readers' machines.
  fontFamily: 'arial, "Liberation Sans", sans-serif',
  sequence: {
    // No second row of participant boxes at the bottom: the diagrams are short enough without it.
    mirrorActors: false,
    // Wrap long labels instead of spreading participants apart, to keep the text large.
    wrap: true,
    width: 150,
    actorMargin: 50,
    messageMargin: 40,
    boxMargin: 10,
    diagramMarginX: 8,
    // Room below the last message for its step-number circle.
    diagramMarginY: 20,
    messageFontSize: 17,
    actorFontSize: 17,
    noteFontSize: 16,
    useMaxWidth: true,
  },
} as const;

export class DiagramRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiagramRenderError';
  }
}

let renderer: MermaidRenderer | undefined;
/** What this process did (for tests and the benchmark). */
export const renderStats = { browserBatches: 0, cacheHits: 0, rendered: 0 };

function getRenderer(): MermaidRenderer {
  if (!existsSync(chromiumPath)) {
    throw new DiagramRenderError(
      `Diagrams are rendered at build time with Chromium, which is not at ${chromiumPath}. ` +
        `Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH. No browser is ever downloaded.`,
    );
  }
  renderer ??= createMermaidRenderer({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } });
  return renderer;
}

let mermaidVersion: string | undefined;
async function getMermaidVersion(): Promise<string> {
  mermaidVersion ??= (JSON.parse(await readFile(join('node_modules', 'mermaid', 'package.json'), 'utf8')) as { version: string }).version;
  return mermaidVersion;
}

export interface DiagramSource {
  /** Stable id for the SVG root; every id inside the SVG starts with it. Must be unique on a page. */
  id: string;
  source: string;
}

async function cacheKey(diagram: DiagramSource): Promise<string> {
  const material = JSON.stringify({ v: RENDER_VERSION, mermaid: await getMermaidVersion(), config: mermaidConfig, ...diagram });
  return createHash('sha256').update(material).digest('hex');
}

const BATCH_PREFIX = 'lab-render';

/** Renders diagrams; returns their SVGs in input order. */
export async function renderMermaidBatch(diagrams: readonly DiagramSource[]): Promise<string[]> {
  const keys = await Promise.all(diagrams.map((d) => cacheKey(d)));
  const paths = keys.map((key) => join(DIAGRAM_CACHE_DIR, `${key}.svg`));
  const svgs = await Promise.all(paths.map((path) => readFile(path, 'utf8').catch(() => undefined)));
  const misses = diagrams.map((_, i) => i).filter((i) => svgs[i] === undefined);
  renderStats.cacheHits += diagrams.length - misses.length;
  if (misses.length) {
    renderStats.browserBatches += 1;
    const results = await getRenderer()(
      misses.map((i) => (diagrams[i] as DiagramSource).source),
      { prefix: BATCH_PREFIX, mermaidConfig: structuredClone(mermaidConfig) as never },
    );
    await mkdir(DIAGRAM_CACHE_DIR, { recursive: true });
    await Promise.all(
      results.map(async (result, j) => {
        const i = misses[j] as number;
        const diagram = diagrams[i] as DiagramSource;
        if (result.status === 'rejected') {
          const reason = result.reason as { message?: string } | undefined;
          throw new DiagramRenderError(`Mermaid could not render diagram "${diagram.id}": ${reason?.message ?? String(reason)}`);
        }
        const svg = renameSvgId(result.value.svg, result.value.id, diagram.id);
        // Write then rename, so a build running in parallel never reads half a file.
        const tmp = `${paths[i]}.${process.pid}.tmp`;
        await writeFile(tmp, svg);
        await rename(tmp, paths[i] as string);
        svgs[i] = svg;
        renderStats.rendered += 1;
      }),
    );
  }
  return svgs as string[];
}
