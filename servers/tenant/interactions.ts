/**
 * The sign-in and consent pages (oidc-provider "interactions"). oidc-provider decides when a user
 * must sign in or consent and sends the browser here; these handlers show the page, check what
 * the user typed, and hand the result back with `interactionFinished`.
 *
 *   GET  /{tenant}/interaction/{uid}          the page for the pending prompt
 *   POST /{tenant}/interaction/{uid}/login    username + password
 *   POST /{tenant}/interaction/{uid}/consent  decision=accept | cancel
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionResults } from 'oidc-provider';
import { SANDBOX_PASSWORD } from '../../src/config/sandbox.ts';
import { attendeeFor } from './attendees.ts';
import { missingMiddleTierConsent } from './combinedConsent.ts';
import { interactionPath } from './configuration.ts';
import { requestFacts, sessionFromParams, type TenantContext } from './context.ts';
import { appById, checkPassword, consentTextFor, type DirectoryUser, findUser, OIDC_SCOPES, resources } from './directory.ts';
import { type EntraError, entraError, renderEntraError } from './entraErrors.ts';
import { readForm } from './form.ts';
import { type ConsentView, renderConsent } from './views/consent.ts';
import { PAGE_SECURITY_HEADERS } from './views/layout.ts';
import { renderSignIn } from './views/signIn.ts';

type Interaction = Awaited<ReturnType<ReturnType<TenantContext['provider']>['interactionDetails']>>;

function sendPage(res: ServerResponse, status: number, page: string): void {
  res.writeHead(status, { ...PAGE_SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
  res.end(page);
}

function appName(tenant: TenantContext, interaction: Interaction): string {
  return appById(tenant.directory, String(interaction.params.client_id))?.displayName ?? String(interaction.params.client_id);
}

function renderSignInPage(
  tenant: TenantContext,
  interaction: Interaction,
  base: string,
  username?: string,
  error?: { code: string; message: string },
): string {
  return renderSignIn({
    tenantLabel: tenant.tenantLabel,
    action: `${base}/login`,
    appName: appName(tenant, interaction),
    username: username ?? (typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : undefined),
    error,
    // The built-in accounts share the published sandbox password; users from the directory file know their own.
    accounts: tenant.directory.users.filter((user) => user.builtIn).map((user) => user.preferredUsername),
    password: SANDBOX_PASSWORD,
    attendeeDomain: tenant.config.network.lan ? tenant.directory.tenantDomain : undefined,
  });
}

/** The consent text the API's registration gives a scope (`api://…/Orders.Read` → "Read your orders"). */
function consentTextOf(tenant: TenantContext, scope: string): string {
  for (const api of resources(tenant.directory)) {
    const exposed = api.scopes.find((s) => s.fullName === scope);
    if (exposed) return exposed.consentText;
  }
  return consentTextFor(scope.slice(scope.lastIndexOf('/') + 1));
}

/** The permissions the consent page lists: every one the app requested (with prompt=consent, even those already granted). */
function requestedPermissions(tenant: TenantContext, interaction: Interaction): { text: string; scope: string }[] {
  const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
  const missing = [...(details.missingOIDCScope ?? []), ...Object.values(details.missingResourceScopes ?? {}).flat()];
  const scopes = [...new Set([...String(interaction.params.scope ?? '').split(' '), ...missing])];
  // The sandbox always gives apps that sign users in a refresh token, so it always asks for offline access too.
  const platform = appById(tenant.directory, String(interaction.params.client_id))?.platform;
  if (platform && platform !== 'daemon' && !scopes.includes('offline_access')) scopes.push('offline_access');
  const order = (scope: string) => (OIDC_SCOPES as readonly string[]).indexOf(scope);
  return scopes
    .filter((scope) => scope && scope !== 'openid')
    .sort((a, b) => (order(a) === -1 ? 99 : order(a)) - (order(b) === -1 ? 99 : order(b)))
    .map((scope) => ({ scope, text: consentTextOf(tenant, scope) }));
}

/** Combined consent: what each middle tier (the Tasks API) asks for, listed under its own name. */
function middleTierPermissions(tenant: TenantContext, interaction: Interaction): ConsentView['middleTiers'] {
  return missingMiddleTierConsent(tenant, interaction.params, interaction.session?.accountId).map((missing) => ({
    appName: missing.displayName,
    permissions: Object.values(missing.resourceScopes)
      .flat()
      .map((scope) => ({ scope, text: consentTextFor(scope.slice(scope.lastIndexOf('/') + 1)) })),
  }));
}

async function finish(tenant: TenantContext, req: IncomingMessage, res: ServerResponse, result: InteractionResults): Promise<void> {
  await tenant.provider().interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

/**
 * Entra's order: the account must exist in the directory (AADSTS50034), then the password must match
 * (AADSTS50126). In workshop mode an unknown name of the sandbox's domain becomes an attendee of its own.
 */
function checkCredentials(tenant: TenantContext, username: string, password: string): { user: DirectoryUser } | { failure: EntraError } {
  const user = findUser(tenant.directory, username) ?? (tenant.config.network.lan ? attendeeFor(tenant.directory, username) : undefined);
  if (!user) return { failure: entraError('AADSTS50034', { EmailHidden: username || '(empty)', tenant: tenant.directory.tenantDomain }) };
  if (!checkPassword(user, password)) return { failure: entraError('AADSTS50126') };
  return { user };
}

async function handleLogin(
  tenant: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
  interaction: Interaction,
  base: string,
): Promise<void> {
  const facts = requestFacts(req);
  const form = await readForm(req);
  const username = form.ok ? (form.params.username ?? '').trim() : '';
  const password = form.ok ? (form.params.password ?? '') : '';
  const checked = checkCredentials(tenant, username, password);
  if ('failure' in checked) {
    const { failure } = checked;
    const rendered = renderEntraError(tenant.catalog, failure, {
      correlationId: facts.correlationId,
      errorPageOrigin: tenant.config.tenantOrigin,
    });
    tenant.events.publish({
      name: 'sign-in',
      leg: 'sign-in',
      sessionId: facts.sessionId,
      summary: `Sign-in failed: ${failure.code}`,
      error: { code: failure.code, error: rendered.body.error, description: rendered.summary },
    });
    const message = rendered.summary.slice(failure.code.length + 2);
    sendPage(res, 200, renderSignInPage(tenant, interaction, base, username, { code: failure.code, message }));
    return;
  }
  const signedIn = checked.user;
  tenant.events.publish({
    name: 'sign-in',
    leg: 'sign-in',
    sessionId: facts.sessionId,
    summary: `${signedIn.preferredUsername} signed in`,
    detail: {
      user: signedIn.preferredUsername,
      oid: signedIn.oid,
      prompt: interaction.prompt.name,
      client_id: String(interaction.params.client_id),
    },
  });
  const result: InteractionResults = { login: { accountId: signedIn.oid } };
  if (interaction.prompt.name === 'select_account') result.select_account = {};
  await finish(tenant, req, res, result);
}

async function handleConsent(tenant: TenantContext, req: IncomingMessage, res: ServerResponse, interaction: Interaction): Promise<void> {
  const facts = requestFacts(req);
  const form = await readForm(req);
  const decision = form.ok ? form.params.decision : undefined;
  const clientId = String(interaction.params.client_id);
  const accountId = interaction.session?.accountId;
  if (decision !== 'accept' || !accountId) {
    const { summary } = renderEntraError(tenant.catalog, entraError('AADSTS65004'), { errorPageOrigin: tenant.config.tenantOrigin });
    tenant.events.publish({
      name: 'consent',
      leg: 'consent',
      sessionId: facts.sessionId,
      summary: 'Consent cancelled',
      detail: { decision: 'cancel', client_id: clientId },
    });
    await finish(tenant, req, res, { error: 'access_denied', error_description: summary });
    return;
  }
  const { Grant } = tenant.provider();
  const details = interaction.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  const grant = (interaction.grantId ? await Grant.find(interaction.grantId) : undefined) ?? new Grant({ accountId, clientId });
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  tenant.consents.remember(accountId, clientId, details.missingOIDCScope ?? [], details.missingResourceScopes ?? {});
  // Combined consent: the same Accept grants the middle tier what it needs downstream (./combinedConsent.ts).
  for (const middleTier of missingMiddleTierConsent(tenant, interaction.params, accountId))
    tenant.consents.remember(accountId, middleTier.clientId, [], middleTier.resourceScopes);
  tenant.events.publish({
    name: 'consent',
    leg: 'consent',
    sessionId: facts.sessionId,
    summary: 'Consent accepted',
    detail: { decision: 'accept', client_id: clientId, scopes: requestedPermissions(tenant, interaction).map((p) => p.scope) },
  });
  await finish(tenant, req, res, { consent: { grantId } });
}

export async function handleInteraction(
  tenant: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  action: string | undefined,
): Promise<void> {
  const base = interactionPath(tenant.directory.tenantId, uid);
  let interaction: Interaction;
  try {
    interaction = await tenant.provider().interactionDetails(req, res);
  } catch {
    // No interaction cookie or an expired one: the browser must start again at the app.
    const rendered = renderEntraError(tenant.catalog, entraError('AADSTS9002313'), { errorPageOrigin: tenant.config.tenantOrigin });
    res.writeHead(400, { ...PAGE_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(
      `${rendered.summary}\nThis sign-in page has expired or was opened outside its sign-in flow. Start the sign-in again from the app.`,
    );
    return;
  }
  if (interaction.uid !== uid) {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Interaction mismatch: start the sign-in again from the app.');
    return;
  }
  const facts = requestFacts(req);
  facts.sessionId ??= sessionFromParams(interaction.params);
  const prompt = interaction.prompt.name;
  if (req.method === 'GET' && !action) {
    if (prompt === 'consent') {
      const user = tenant.directory.users.find((u) => u.oid === interaction.session?.accountId);
      sendPage(
        res,
        200,
        renderConsent({
          tenantLabel: tenant.tenantLabel,
          action: `${base}/consent`,
          appName: appName(tenant, interaction),
          username: user?.preferredUsername ?? '',
          permissions: requestedPermissions(tenant, interaction),
          middleTiers: middleTierPermissions(tenant, interaction),
        }),
      );
    } else {
      sendPage(res, 200, renderSignInPage(tenant, interaction, base));
    }
    return;
  }
  if (req.method === 'POST' && action === 'login' && prompt !== 'consent') return handleLogin(tenant, req, res, interaction, base);
  if (req.method === 'POST' && action === 'consent' && prompt === 'consent') return handleConsent(tenant, req, res, interaction);
  res
    .writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, POST' })
    .end('This step of the sign-in does not accept that request.');
}
