/**
 * Follow-along: two browser contexts are two attendees on the presenter's lab. Each runs the same
 * flow as a different user at the same time; each one's event stream, live trace and tokens hold
 * only their own session's legs (servers/events/: events are scoped per browser session).
 */

import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { sandboxUsers } from '../../src/config/sandbox.ts';
import { sessionIdOfKey } from '../../src/contracts/protocolEvents.ts';
import { openPresenting, stage, stageFields, stepThroughAuthCode } from '../support/workshop-keyboard.ts';

interface Attendee {
  context: BrowserContext;
  page: Page;
  session: string;
  key: string;
}

interface SeenEvent {
  sessionId?: string;
  name: string;
  detail?: unknown;
}

/** Opens the page with the live tracer, and records every protocol event this browser's stream delivers. */
async function join(browser: Browser): Promise<Attendee> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    (window as unknown as { __seen: unknown[] }).__seen = seen;
    const Original = window.EventSource;
    // Every message of every event stream the page opens (the tracer's), as delivered.
    window.EventSource = class extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener('protocol', (message) => seen.push(JSON.parse((message as MessageEvent<string>).data)));
      }
    };
  });
  await openPresenting(page, '/tools/side-by-side/');
  await expect(page.locator('flow-tracer[data-flow="auth-code-pkce"]')).toHaveAttribute('data-connection', 'up');
  // The tab's secret key, and the id derived from it that tags its legs (the cookie holds the id only).
  const key = await page.evaluate(() => sessionStorage.getItem('entra-flows-lab.session-key') ?? '');
  const session = await page.evaluate(() => /(?:^|; )lab_session=([^;]*)/.exec(document.cookie)?.[1] ?? '');
  expect(session).toBe(sessionIdOfKey(key));
  return { context, page, session, key };
}

const seen = (a: Attendee) => a.page.evaluate(() => (window as unknown as { __seen: SeenEvent[] }).__seen);
const oidsIn = (events: SeenEvent[]) => new Set([...JSON.stringify(events).matchAll(/"oid":"([0-9a-f-]{36})"/g)].map((m) => m[1]));

test('two attendees at once never see each other’s events or tokens', async ({ browser }) => {
  const alice = await join(browser);
  const bob = await join(browser);
  expect(alice.session).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
  expect(bob.session).not.toBe(alice.session);

  // Both sign in and call the API at the same time, as different users.
  await Promise.all([stepThroughAuthCode(alice.page, 'alice'), stepThroughAuthCode(bob.page, 'bob')]);
  await expect(stage(alice.page)).toHaveAttribute('data-shown', '4');
  await expect(stage(bob.page)).toHaveAttribute('data-shown', '4');

  // Each stage shows its own user's token.
  expect((await stageFields(alice.page)).status).toBe('200');
  await alice.page.keyboard.press('ArrowLeft');
  await bob.page.keyboard.press('ArrowLeft');
  expect((await stageFields(alice.page)).oid).toBe(sandboxUsers.alice.oid);
  expect((await stageFields(bob.page)).oid).toBe(sandboxUsers.bob.oid);

  // Each event stream delivered that browser's legs (tenant and API), and only those.
  for (const [me, other, myUser, otherUser] of [
    [alice, bob, sandboxUsers.alice, sandboxUsers.bob],
    [bob, alice, sandboxUsers.bob, sandboxUsers.alice],
  ] as const) {
    const events = await seen(me);
    const names = new Set(events.map((e) => e.name));
    for (const name of ['authorize.request', 'code.issued', 'token.request', 'token.issued', 'api.request', 'api.response']) {
      expect(names, `${myUser.name} saw their own ${name}`).toContain(name);
    }
    expect(new Set(events.map((e) => e.sessionId)), `${myUser.name}'s stream carries only their session`).toEqual(new Set([me.session]));
    const oids = oidsIn(events);
    expect(oids).toContain(myUser.oid);
    expect(oids, `${myUser.name} never sees ${otherUser.name}'s token claims`).not.toContain(otherUser.oid);
    expect(JSON.stringify(events)).not.toContain(other.session);
    // No event carries a key, this browser's or the other's.
    expect(JSON.stringify(events)).not.toContain(me.key);
    expect(JSON.stringify(events)).not.toContain(other.key);
    // The live trace's legs are this browser's too.
    const traced = await me.page
      .locator('flow-tracer[data-flow="auth-code-pkce"]')
      .evaluate((el) => JSON.stringify((el as unknown as { trace: unknown }).trace));
    expect(traced).toContain(myUser.oid);
    expect(traced).not.toContain(otherUser.oid);
  }

  await alice.context.close();
  await bob.context.close();
});
