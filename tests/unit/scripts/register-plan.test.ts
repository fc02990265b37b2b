import { describe, expect, it } from 'vitest';
import { envFileFor, fillPlaceholders, planRegistration, type RegistrationOptions } from '../../../scripts/register/plan.ts';

const options: RegistrationOptions = {
  siteOrigin: 'http://localhost:4321',
  displayNamePrefix: 'Lab',
  daemonCredential: 'secret',
  ids: { readScope: 'read-scope-id', readWriteScope: 'readwrite-scope-id', readAllRole: 'read-all-role-id' },
};

const bodyOf = (args: string[]) => JSON.parse(args[args.indexOf('--body') + 1] as string);

describe('registering the lab in a real Entra tenant', () => {
  const steps = planRegistration(options);

  it('exposes the API with v2 access tokens, both scopes and the application-only app role', () => {
    const expose = steps.find((s) => s.title.startsWith('Expose an API'));
    const body = bodyOf(expose?.az ?? []);
    expect(body.identifierUris).toEqual(['api://{apiAppId}']);
    expect(body.api.requestedAccessTokenVersion).toBe(2);
    expect(body.api.oauth2PermissionScopes.map((s: { value: string }) => s.value)).toEqual(['Tasks.Read', 'Tasks.ReadWrite']);
    expect(body.appRoles).toEqual([expect.objectContaining({ value: 'Tasks.Read.All', allowedMemberTypes: ['Application'] })]);
  });

  it('requests the idtyp optional claim on the API’s access tokens, with include_user_token (Graph optionalClaims shape)', () => {
    const expose = steps.find((s) => s.title.startsWith('Expose an API'));
    expect(bodyOf(expose?.az ?? []).optionalClaims).toEqual({
      accessToken: [{ name: 'idtyp', source: null, essential: false, additionalProperties: ['include_user_token'] }],
    });
  });

  it('registers the SPA redirect URIs under the spa platform, exactly', () => {
    const spa = steps.find((s) => s.title.includes('Single-page application'));
    const body = bodyOf(spa?.az ?? []);
    expect(body.spa.redirectUris).toEqual(['http://localhost:4321/', 'http://localhost:4321/redirect.html']);
    expect(body.web).toBeUndefined();
  });

  it('grants the daemon its app role through an app role assignment (admin consent)', () => {
    const grant = steps.find((s) => s.title.startsWith('Grant admin consent'));
    expect(grant?.az).toContain('https://graph.microsoft.com/v1.0/servicePrincipals/{daemonSpId}/appRoleAssignments');
    expect(bodyOf(grant?.az ?? [])).toEqual({ principalId: '{daemonSpId}', resourceId: '{apiSpId}', appRoleId: 'read-all-role-id' });
  });

  it('never prints the secret: the step that creates it is marked secret', () => {
    const secret = steps.find((s) => s.captures?.some((c) => c.name === 'daemonSecret'));
    expect(secret?.secretOutput).toBe(true);
  });

  it('uploads a certificate instead of creating a secret when asked, and needs its path', () => {
    const withCert = planRegistration({ ...options, daemonCredential: 'certificate', certificatePath: 'cert.pem' });
    expect(withCert.at(-1)?.az).toEqual(expect.arrayContaining(['--cert', '@cert.pem']));
    expect(() => planRegistration({ ...options, daemonCredential: 'certificate' })).toThrow('--certificate needs the path');
  });

  it('fills placeholders from earlier steps and leaves unknown ones for the dry run', () => {
    expect(fillPlaceholders('api://{apiAppId}/{other}', { apiAppId: 'abc' })).toBe('api://abc/{other}');
  });

  it('writes a .env that the lab reads in real-tenant mode', () => {
    const env = envFileFor({ tenantId: 't', spaAppId: 's', apiAppId: 'a', daemonAppId: 'd', daemonSecret: 'x' }, options);
    expect(env).toContain('LAB_MODE=real\n');
    expect(env).toContain('ENTRA_API_APP_ID_URI=api://a\n');
    expect(env).toContain('ENTRA_DAEMON_CLIENT_SECRET=x\n');
  });
});

describe('the confidential web app in the registration plan', () => {
  const steps = planRegistration({
    siteOrigin: 'http://localhost:4321',
    displayNamePrefix: 'Lab',
    daemonCredential: 'secret',
    ids: { readScope: 'read-scope-id', readWriteScope: 'read-write-scope-id', readAllRole: 'read-all-role-id' },
  });

  it('registers its redirect URIs on the "Web" platform, not "spa", and asks for the Tasks API scopes', () => {
    const patch = steps.find((step) => step.title.startsWith('Add the redirect URIs as platform "Web"'));
    const body = JSON.parse(patch?.az.at(-1) ?? '{}');
    expect(body.web.redirectUris).toEqual(['http://localhost:4600/auth/redirect', 'http://localhost:4600/']);
    expect(body.spa).toBeUndefined();
    expect(body.requiredResourceAccess[0].resourceAccess).toEqual([
      { id: 'read-scope-id', type: 'Scope' },
      { id: 'read-write-scope-id', type: 'Scope' },
    ]);
  });

  it('creates its client secret without printing it, and writes it to .env', () => {
    const secret = steps.find((step) => step.captures?.some((c) => c.name === 'webappSecret'));
    expect(secret?.secretOutput).toBe(true);
    const env = envFileFor({ webappAppId: 'w-id', webappSecret: 's' }, { daemonCredential: 'secret' });
    expect(env).toContain('ENTRA_WEBAPP_CLIENT_ID=w-id\nENTRA_WEBAPP_CLIENT_SECRET=s\n');
  });
});
