/**
 * MSAL Node's token cache, one partition per browser session: before MSAL reads its cache it gets
 * this session's serialized cache, and after it writes, the new state goes back to this session
 * only. One user's tokens can never answer another user's `acquireTokenSilent`.
 * https://learn.microsoft.com/entra/msal/javascript/node/caching (ICachePlugin)
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { WebAppSession } from './sessions.ts';

export function sessionCachePlugin(session: WebAppSession): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      if (session.tokenCache) context.tokenCache.deserialize(session.tokenCache);
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (context.cacheHasChanged) session.tokenCache = context.tokenCache.serialize();
    },
  };
}
