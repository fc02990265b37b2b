/**
 * `EventBus#isHeard`: the token endpoint skips building events nobody can receive, so the answer
 * must be yes whenever an event would be kept or delivered.
 */
import { describe, expect, it } from 'vitest';
import { ALL_SESSIONS, EventBus } from '../../../servers/events/index.ts';

describe('EventBus.isHeard', () => {
  it('a session-less event with no ALL_SESSIONS subscriber reaches nobody', () => {
    const bus = new EventBus();
    expect(bus.isHeard(undefined)).toBe(false);
    // A subscriber of one session does not hear session-less events.
    bus.subscribe('s-1', () => {});
    expect(bus.isHeard(undefined)).toBe(false);
  });

  it("a session's event is always heard: it is kept for replay even before anyone subscribes", () => {
    expect(new EventBus().isHeard('s-1')).toBe(true);
  });

  it('an ALL_SESSIONS subscriber hears session-less events until it unsubscribes', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const unsubscribe = bus.subscribe(ALL_SESSIONS, (event) => seen.push(event.name));
    expect(bus.isHeard(undefined)).toBe(true);
    bus.publish({ name: 'token.issued', leg: 'token', source: 'tenant', summary: 'x' });
    expect(seen).toEqual(['token.issued']);
    unsubscribe();
    expect(bus.isHeard(undefined)).toBe(false);
  });
});
