/**
 * A plain static web host for a built site, as GitHub Pages or any file server behaves: files under
 * one base path, `index.html` for a folder, `404.html` for anything else, and nothing more (no lab
 * routes, no headers beyond a content type). Loopback, ephemeral port.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

async function fileFor(root: string, relative: string): Promise<string | undefined> {
  const path = normalize(join(root, relative));
  if (!path.startsWith(root)) return undefined;
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile()) return path;
  if (info?.isDirectory()) return fileFor(root, join(relative, 'index.html'));
  return undefined;
}

export async function serveStatic(root: string, base: string): Promise<{ origin: string; close(): Promise<void> }> {
  const absoluteRoot = normalize(root.startsWith('/') ? root : join(process.cwd(), root));
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://host');
    const decoded = decodeURIComponent(pathname);
    const file = decoded.startsWith(base) ? await fileFor(absoluteRoot, decoded.slice(base.length)) : undefined;
    if (file?.endsWith('/index.html') && !decoded.endsWith('/') && !decoded.endsWith('.html')) {
      res.writeHead(301, { location: `${pathname}/` }).end(); // like GitHub Pages: a folder's URL ends with a slash
      return;
    }
    const served = file ?? join(absoluteRoot, '404.html');
    res.writeHead(file ? 200 : 404, { 'content-type': TYPES[extname(served)] ?? 'application/octet-stream' });
    res.end(await readFile(served));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
