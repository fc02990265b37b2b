/**
 * A flood of refused calls costs a few log lines: before, every refusal printed a line (1.6 MB in
 * five seconds of bad tokens).
 */
import { describe, expect, it } from 'vitest';
import { createRefusalLog } from '../../../servers/api/refusalLog.ts';
import { createApiApp } from '../../../servers/api/routes.ts';
import { createTaskStore } from '../../../servers/api/tasks.ts';
import { config, fakeTenant, keySource, makeKey, verifierWith } from '../../support/fake-tenant.ts';

describe('refusal log', () => {
  it('prints the first of each kind, then one summary line per kind', () => {
    const lines: string[] = [];
    const log = createRefusalLog((line) => lines.push(line));
    for (let i = 0; i < 5000; i++) log.refused('api: 401 GET /api/tasks IDX10223');
    log.refused('api: 403 POST /api/tasks');
    expect(lines).toEqual(['api: 401 GET /api/tasks IDX10223', 'api: 403 POST /api/tasks']);
    log.flush();
    expect(lines.slice(2)).toEqual(['api: 401 GET /api/tasks IDX10223 ×4999 more in the last 10 s']);
    // A new window prints the first one again.
    log.refused('api: 401 GET /api/tasks IDX10223');
    expect(lines.at(-1)).toBe('api: 401 GET /api/tasks IDX10223');
    log.close();
  });

  it('an attacker varying paths cannot make a line per request', () => {
    const lines: string[] = [];
    const log = createRefusalLog((line) => lines.push(line), { maxKinds: 20 });
    for (let i = 0; i < 10_000; i++) log.refused(`api: 401 GET /api/tasks/${i}`);
    log.flush();
    expect(lines).toHaveLength(21);
    expect(lines.at(-1)).toBe('api: 9980 more refused calls of other kinds in the last 10 s (not printed one by one)');
  });

  it('the API uses it: 2,000 forged tokens print one line', async () => {
    const lines: string[] = [];
    const app = createApiApp({
      config,
      verifier: verifierWith(keySource(fakeTenant([await makeKey('k1')]))),
      tasks: createTaskStore(),
      log: (line) => lines.push(line),
    });
    for (let i = 0; i < 2000; i++) {
      await app.fetch(new Request(`${config.apiOrigin}/api/tasks`, { headers: { Authorization: 'Bearer not.a.token' } }));
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^api: 401 GET \/api\/tasks/);
  });
});
