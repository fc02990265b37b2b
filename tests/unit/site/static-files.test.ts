/**
 * The site's static server keeps serving when files change under it: `npm run build` while
 * `npm start` serves deletes and rewrites files between the server finding a file and reading it.
 * Before, the read stream's error had no handler and took site, tenant and API down with it.
 */
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, IncomingMessage, type Server, ServerResponse } from 'node:http';
import { type AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSiteHandler, pagePolicy } from '../../../servers/site/main.ts';
import { renderRedirectBridgePage } from '../../fixtures/msal-spa/redirectBridgePage.ts';

let root: string;
let server: Server;
let origin: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'site-files-'));
  await writeFile(join(root, '404.html'), 'not found page');
  server = createServer(createSiteHandler(root));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('site static server', () => {
  it('a file that vanishes while it is being served gives 404 or the file, never a crash', async () => {
    const page = join(root, 'page.html');
    const crashes: unknown[] = [];
    const onUncaught = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      let churning = true;
      // Rebuild the file as fast as the disk allows, as astro build does to dist/.
      const churn = (async () => {
        while (churning) {
          await writeFile(page, 'x'.repeat(64 * 1024));
          await unlink(page).catch(() => {});
        }
      })();
      const statuses = new Set<number>();
      for (let i = 0; i < 300; i++) {
        // A hang guard, not a timing assertion: before, a failed read left the response open forever.
        const response = await fetch(`${origin}/page.html`, { signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        statuses.add(response.status);
      }
      churning = false;
      await churn;
      expect(crashes).toEqual([]);
      expect([...statuses].every((status) => status === 200 || status === 404)).toBe(true);
      // The server still answers afterwards.
      await writeFile(page, 'back');
      expect(await (await fetch(`${origin}/page.html`)).text()).toBe('back');
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('sends each page’s Content-Security-Policy as a header too, with frame-ancestors', async () => {
    const policy = "default-src 'self'; script-src 'self' 'sha256-abc='";
    await writeFile(join(root, 'index.html'), `<html><head><meta http-equiv="content-security-policy" content="${policy}"></head></html>`);
    const response = await fetch(`${origin}/`);
    expect(response.headers.get('content-security-policy')).toBe(`${policy}; frame-ancestors 'self'`);
  });

  it('the redirect page that receives authorization responses has a policy that allows only its own two scripts', async () => {
    await writeFile(join(root, 'redirect.html'), renderRedirectBridgePage());
    const header = (await fetch(`${origin}/redirect.html`)).headers.get('content-security-policy') ?? '';
    expect(header).toMatch(
      /^default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'$/,
    );
  });

  it('a page without a policy (not one the lab builds) still may not be framed by another site', () => {
    expect(pagePolicy('<html><body>hi</body></html>')).toBe("frame-ancestors 'self'");
  });

  it('assets keep their content type and no page policy', async () => {
    await writeFile(join(root, 'app.js'), 'console.log(1)');
    const response = await fetch(`${origin}/app.js`);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBeNull();
    expect(await response.text()).toBe('console.log(1)');
  });

  it('a reader gone before the file is sent (a page left mid-load) ends the request quietly, never a crash', async () => {
    await writeFile(join(root, 'widget.js'), 'export {};');
    const socket = new Socket();
    const req = new IncomingMessage(socket);
    req.method = 'GET';
    req.url = '/widget.js';
    const res = new ServerResponse(req);
    res.destroy();
    // Before, piping into the destroyed response threw ERR_STREAM_UNABLE_TO_PIPE out of the handler,
    // an unhandled rejection that stopped the whole lab.
    await expect(createSiteHandler(root)(req, res)).resolves.toBeUndefined();
    socket.destroy();
    expect((await fetch(`${origin}/widget.js`)).status).toBe(200);
  });
});
