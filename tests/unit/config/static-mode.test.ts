/**
 * The lab's "static" mode (npm run build:static): the site alone on a web host, under a base path,
 * with no tenant or API origin and no URL of the builder's machine.
 */
import { describe, expect, it } from 'vitest';
import { cspDirectives } from '../../../src/config/csp.ts';
import { ConfigError, loadLabConfig, publicConfig } from '../../../src/config/lab.ts';
import { sitePath } from '../../../src/config/sitePath.ts';
import { headerPolicy, staticWebAppConfig } from '../../../src/config/staticHostHeaders.ts';
import { withBaseLinks } from '../../../src/integrations/baseLinks.ts';

const STATIC = { LAB_MODE: 'static', LAB_SITE_URL: 'https://owner.github.io', LAB_BASE_PATH: 'entra-flows-lab' };

describe('LAB_MODE=static', () => {
  const config = loadLabConfig(STATIC);

  it('has no tenant or API origin, and its public config names no loopback host', () => {
    expect(config).toMatchObject({ mode: 'static', tenantOrigin: '', apiOrigin: '', siteOrigin: 'https://owner.github.io' });
    expect(JSON.stringify(publicConfig(config))).not.toMatch(/localhost|127\.0\.0\.1/);
  });

  it('puts the base path, with both slashes, in front of the registered redirect URIs', () => {
    expect(config.basePath).toBe('/entra-flows-lab/');
    expect(config.redirectUris).toEqual([
      'https://owner.github.io/entra-flows-lab/',
      'https://owner.github.io/entra-flows-lab/redirect.html',
    ]);
  });

  it('takes the repository URL from LAB_REPOSITORY_URL, and invents none without it', () => {
    expect(config.repositoryUrl).toBe('');
    expect(loadLabConfig({ ...STATIC, LAB_REPOSITORY_URL: 'https://github.com/me/lab/' }).repositoryUrl).toBe('https://github.com/me/lab');
  });

  it('refuses a missing site URL, a path that climbs out, and a non-https repository, naming each fix', () => {
    try {
      loadLabConfig({ LAB_MODE: 'static', LAB_BASE_PATH: '/a/../b/', LAB_REPOSITORY_URL: 'ftp://x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/LAB_SITE_URL="" is not the site's URL/);
      expect(problems).toMatch(/LAB_BASE_PATH="\/a\/..\/b\/" is not a URL path/);
      expect(problems).toMatch(/LAB_REPOSITORY_URL="ftp:\/\/x" is not a repository URL/);
    }
  });

  it('allows only Entra’s clouds besides the site itself in its CSP', () => {
    const connect = cspDirectives(config).find((d) => d.startsWith('connect-src')) ?? '';
    expect(connect).toBe(
      "connect-src 'self' https://login.microsoftonline.com https://login.microsoftonline.us https://login.partner.microsoftonline.cn",
    );
  });

  it('gives Azure Static Web Apps the CSP as a header with frame-ancestors, and immutable /_astro/ files under the base', () => {
    const swa = staticWebAppConfig(config);
    expect(headerPolicy(config)).toMatch(/frame-ancestors 'self'$/);
    expect(headerPolicy(config)).not.toMatch(/default-src/); // scripts stay governed by each page's own <meta> policy
    expect(swa.routes[0]?.route).toBe('/entra-flows-lab/_astro/*');
    expect(swa.responseOverrides['404'].rewrite).toBe('/entra-flows-lab/404.html');
  });

  it('leaves the lab’s own modes at the root', () => {
    expect(loadLabConfig({}).basePath).toBe('/');
    expect(cspDirectives(loadLabConfig({})).find((d) => d.startsWith('connect-src'))).toMatch(
      /^connect-src 'self' http:\/\/localhost:4500 /,
    );
  });
});

describe('links under a base path', () => {
  it('sitePath puts the base in front of root-relative paths only, once', () => {
    expect(sitePath('/guides/x/', '/lab/')).toBe('/lab/guides/x/');
    expect(sitePath('/lab/guides/x/', '/lab/')).toBe('/lab/guides/x/');
    expect(sitePath('https://learn.microsoft.com/', '/lab/')).toBe('https://learn.microsoft.com/');
    expect(sitePath('//cdn.example/x', '/lab/')).toBe('//cdn.example/x');
    expect(sitePath('#anchor', '/lab/')).toBe('#anchor');
    expect(sitePath('/guides/x/', '/')).toBe('/guides/x/');
  });

  it('withBaseLinks rewrites href/src/action attributes and leaves scripts alone', () => {
    const html = '<a href="/guides/">g</a><img src="/favicon.svg"><a href="/lab/x/">x</a><script>location.href="/guides/"</script>';
    expect(withBaseLinks(html, '/lab/')).toBe(
      '<a href="/lab/guides/">g</a><img src="/lab/favicon.svg"><a href="/lab/x/">x</a><script>location.href="/guides/"</script>',
    );
    expect(withBaseLinks(html, '/')).toBe(html);
  });
});
