import { describe, expect, it } from 'vitest';
import { classifyToken, isGraphToken } from '../../../src/protocol/tokenKind.ts';

const h = { alg: 'RS256', typ: 'JWT' };

describe('Entra access-token claims reference: telling user tokens from app-only tokens', () => {
  it('scp means delegated: an app acting for a signed-in user', () => {
    expect(classifyToken(h, { scp: 'Tasks.Read', oid: 'u', sub: 's' }).kind).toBe('access-token-user');
  });
  it('idtyp "app" means app-only even before looking at roles', () => {
    expect(classifyToken(h, { idtyp: 'app', roles: ['Tasks.Read.All'] }).kind).toBe('access-token-app');
  });
  it('roles without scp and oid == sub means app-only (the subject is a service principal)', () => {
    expect(classifyToken(h, { roles: ['Tasks.Read.All'], oid: 'sp', sub: 'sp' }).kind).toBe('access-token-app');
  });
  it('OIDC Core §2: nonce marks an ID token', () => {
    expect(classifyToken(h, { nonce: 'n', aud: 'client', name: 'Alice' }).kind).toBe('id-token');
  });
  it('RFC 7523 §3: iss == sub with a token-endpoint aud is a client assertion', () => {
    const aud = 'https://login.microsoftonline.com/t/oauth2/v2.0/token';
    expect(classifyToken(h, { iss: 'c', sub: 'c', aud }).kind).toBe('client-assertion');
  });
  it('a JWT with none of the Entra signals is unknown', () => {
    expect(classifyToken(h, { foo: 1 }).kind).toBe('unknown');
  });
  it('Graph tokens are recognised by their header nonce or their audience', () => {
    expect(isGraphToken({ ...h, nonce: 'abc' }, {})).toBe(true);
    expect(isGraphToken(h, { aud: '00000003-0000-0000-c000-000000000000' })).toBe(true);
    expect(isGraphToken(h, { aud: 'my-api' })).toBe(false);
  });
});
