/**
 * The baseline of the sign-in legs bench (./signin-legs.bench.ts): a stock `oidc-provider` (the
 * version the tenant runs) with no Entra shaping, signing with the tenant's own key, and the minimal
 * sign-in page its README asks the integrator to write: a form that posts a username and password,
 * checked against the same sandbox accounts, then `interactionFinished`.
 *
 * It issues what the tenant issues to the lab's SPA: an RS256 JWT access token for the Tasks API
 * (its delegated scopes), an ID token and a refresh token, with PKCE S256 and CORS for the site.
 * Consent is the "first-party app" pattern of oidc-provider's docs (`loadExistingGrant` grants what
 * was asked), the counterpart of the tenant remembering a consent given once.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import type { LabConfig } from '../src/config/lab.ts';
import { SANDBOX_PASSWORD, sandboxUsers } from '../src/config/sandbox.ts';

export const STOCK_CLIENT_ID = 'stock-spa';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export interface StockSignInProvider {
  /** `http://127.0.0.1:{port}`, also the issuer. */
  origin: string;
  close(): Promise<void>;
}

/** Listens on `port` (0: any free one) on 127.0.0.1. */
export async function startStockSignInProvider(config: LabConfig, jwks: { keys: object[] }, port: number): Promise<StockSignInProvider> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const apiScopes = config.delegatedScopes.join(' ');
  const resource = config.ids.apiAppIdUri;
  const users = Object.values(sandboxUsers);
  const configuration: Configuration = {
    clients: [
      {
        client_id: STOCK_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [...config.redirectUris],
      },
    ],
    jwks: jwks as Configuration['jwks'],
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    findAccount: (_ctx, id) => {
      const user = users.find((u) => u.oid === id);
      return user ? { accountId: id, claims: () => ({ sub: id, name: user.name, preferred_username: user.preferredUsername }) } : undefined;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: async (ctx) => {
      const { Grant } = ctx.oidc.provider;
      const clientId = ctx.oidc.client?.clientId as string;
      const accountId = ctx.oidc.session?.accountId;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(clientId);
      if (grantId) return Grant.find(grantId);
      if (!accountId) return undefined;
      const grant = new Grant({ accountId, clientId });
      grant.addOIDCScope('openid profile offline_access');
      grant.addResourceScope(resource, apiScopes);
      await grant.save();
      return grant;
    },
    // Same rule as the tenant: a client allowed the refresh-token grant gets one with offline_access.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    clientBasedCORS: (_ctx, requestOrigin) => requestOrigin === config.siteOrigin,
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: apiScopes,
          audience: config.ids.apiClientId,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  };
  const provider = new Provider(origin, configuration);
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? '');
    if (!match) return callback(req, res);
    try {
      const interaction = await provider.interactionDetails(req, res);
      if (req.method === 'GET' && !match[2]) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(
          `<!doctype html><title>Sign in</title><h1>Sign in</h1><form method="post" action="/interaction/${escapeHtml(interaction.uid)}/login">` +
            '<label>Username <input name="username"></label><label>Password <input name="password" type="password"></label>' +
            '<button>Sign in</button></form>',
        );
        return;
      }
      const form = new URLSearchParams(await readBody(req));
      const username = (form.get('username') ?? '').trim().toLowerCase();
      const user = users.find((u) => u.preferredUsername.toLowerCase() === username);
      if (!user || form.get('password') !== SANDBOX_PASSWORD) {
        res
          .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
          .end('<h1>Sign in</h1><p role="alert">Wrong username or password.</p>');
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.oid } }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(String(error));
    }
  });
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
