/**
 * The on-behalf-of grant inside oidc-provider, which has no jwt-bearer grant of its own: registered
 * with `provider.registerGrantType`. Every rule was already checked in front of it
 * (../onBehalfOf.ts, via ../tokenRequest.ts); this mints what Entra returns: an access token for
 * the downstream API (`aud` its client ID, `azp` the middle tier, the same user, the consented
 * scopes; shaped by ../tokenShapes.ts like every access token) and a refresh token only when
 * `offline_access` was asked for.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow#middle-tier-access-token-response
 */
import type Provider from 'oidc-provider';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { JWT_BEARER_GRANT } from '../clientAuthentication.ts';
import { requestFacts } from '../context.ts';

/** The parameters oidc-provider lets through to the handler (others are dropped before it runs). */
const PARAMETERS = ['assertion', 'requested_token_use', 'scope'];

export function registerOnBehalfOfGrant(provider: Provider): void {
  provider.registerGrantType(
    JWT_BEARER_GRANT,
    async (ctx: KoaContextWithOIDC) => {
      const obo = requestFacts(ctx.req).onBehalfOf;
      // Every token request passes ../tokenRequest.ts first; without its verdict, fail closed.
      if (!obo) throw new errors.InvalidGrant('on-behalf-of request was not checked');
      const client = ctx.oidc.client as NonNullable<typeof ctx.oidc.client>;
      const { resource, scopes, accountId, offlineAccess } = obo;
      const resourceServer = {
        identifier: () => resource.appIdUri,
        audience: resource.clientId,
        scope: scopes.join(' '),
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      };
      // What the user consented to for the middle tier, as oidc-provider keeps it; a refresh looks it up again.
      const grant = new provider.Grant({ accountId, clientId: client.clientId });
      grant.addResourceScope(resource.appIdUri, scopes.join(' '));
      const grantId = await grant.save();
      const accessToken = new provider.AccessToken({
        accountId,
        client,
        grantId,
        gty: JWT_BEARER_GRANT,
        scope: scopes.join(' '),
        resourceServer: resourceServer as never,
      });
      ctx.oidc.entity('AccessToken', accessToken);
      const value = await accessToken.save();
      let refreshToken: string | undefined;
      if (offlineAccess) {
        const rt = new provider.RefreshToken({
          accountId,
          client,
          grantId,
          gty: JWT_BEARER_GRANT,
          scope: scopes.join(' '),
          resource: resource.appIdUri,
          rotations: 0,
          expiresWithSession: false,
        });
        ctx.oidc.entity('RefreshToken', rt);
        refreshToken = await rt.save();
      }
      ctx.body = {
        access_token: value,
        token_type: 'Bearer',
        expires_in: accessToken.expiration,
        scope: scopes.join(' '),
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
      };
    },
    PARAMETERS,
  );
}
