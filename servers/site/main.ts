/**
 * Serves the built site (`dist/`, or the folder `LAB_SITE_OUT_DIR` names) for `npm start`: static
 * files with the right content types, long-lived caching for fingerprinted assets, and security
 * headers on every response.
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import type { LabConfig } from '../../src/config/lab.ts';
import { listen, type RunningServer } from '../listen.ts';
import { guardHost } from '../requestGuard.ts';
import { createWorkshopHandler } from '../workshop/routes.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
};

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'SAMEORIGIN',
} as const;

const CSP_META = /<meta http-equiv="content-security-policy" content="([^"]*)"/i;

/**
 * The Content-Security-Policy header of a page: the policy the build wrote into its `<meta>` (Astro's
 * hashes, the lab's origins), plus what only a header can say: no other site may frame it. Every
 * page the lab builds has a policy; an HTML file without one (a folder served as the site in a test)
 * gets only the framing rule, since the server cannot know what its scripts need.
 */
export function pagePolicy(html: string): string {
  const policy = CSP_META.exec(html)?.[1]
    ?.replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
  return policy ? `${policy.replace(/;\s*$/, '')}; frame-ancestors 'self'` : "frame-ancestors 'self'";
}

async function fileFor(root: string, pathname: string): Promise<string | undefined> {
  const candidate = normalize(join(root, decodeURIComponent(pathname)));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined; // no ../ escapes
  for (const path of [candidate, join(candidate, 'index.html')]) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) return path;
  }
  return undefined;
}

/**
 * Opens the file before answering, and answers from the open handle: a build that deletes or
 * rewrites files while the lab serves them (`npm run build` beside `npm start`) makes this request
 * a 404 or a cut-off response, never an unhandled stream error that stops every lab server.
 */
async function send(res: ServerResponse, status: number, path: string, cacheControl: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    return false; // vanished since it was found
  }
  const info = await handle.stat().catch(() => undefined);
  if (!info?.isFile()) {
    await handle.close();
    return false;
  }
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'Cache-Control': cacheControl,
  };
  if (extname(path) === '.html') {
    // Pages are small: read whole, so the policy in the page can go out as a header too.
    const html = await handle.readFile('utf8').finally(() => handle.close());
    res.writeHead(status, { ...headers, 'Content-Security-Policy': pagePolicy(html) }).end(html);
    return true;
  }
  // The reader may have gone while the file was opened (a page left mid-load): nothing to send to.
  if (res.destroyed) {
    await handle.close();
    return true;
  }
  res.writeHead(status, headers);
  // pipeline closes the file when the reader goes away, and ends the response when the read fails.
  pipeline(handle.createReadStream(), res, () => {});
  return true;
}

export function createSiteHandler(root: string) {
  const distRoot = resolve(root);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://site').pathname;
      decodeURIComponent(pathname);
    } catch {
      res.writeHead(400, SECURITY_HEADERS).end('Bad request path');
      return;
    }
    const file = await fileFor(distRoot, pathname);
    // Astro fingerprints everything under /_astro/, so those files never change.
    const cacheControl = pathname.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    if (file && (await send(res, 200, file, cacheControl))) return;
    // /guides → /guides/ when that folder has a page, as static hosts do.
    if (!pathname.endsWith('/') && (await fileFor(distRoot, `${pathname}/`))) {
      res.writeHead(308, { ...SECURITY_HEADERS, Location: `${pathname}/` }).end();
      return;
    }
    const notFound = await fileFor(distRoot, '/404.html');
    if (!notFound || !(await send(res, 404, notFound, 'no-cache'))) res.writeHead(404, SECURITY_HEADERS).end('Not found');
  };
}

export async function startSite(config: LabConfig, root = config.siteOutDir): Promise<RunningServer> {
  const site = createSiteHandler(root);
  // Workshop mode's routes (/_lab/workshop/…: reset, step-through daemon, exercise checks) share the site's origin.
  const workshop = createWorkshopHandler(config);
  const server = createServer(
    guardHost(config.siteOrigin, (req, res) => {
      if (workshop.handle(req, res)) return;
      // A bug, not bad input: say so, and keep serving the other readers (the tenant and the API do the same).
      site(req, res).catch((error: unknown) => {
        console.error('site: unexpected error while serving', req.method, req.url?.split('?')[0], error);
        if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS).end('The lab site hit an unexpected error. See its console.');
        else res.destroy();
      });
    }),
  );
  // Bound how long a slow or stuck client may hold a connection, as the tenant and the API do.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  const running = await listen('site', server, config.ports.site, config.siteOrigin);
  return {
    ...running,
    close: async () => {
      workshop.close();
      await running.close();
    },
  };
}
