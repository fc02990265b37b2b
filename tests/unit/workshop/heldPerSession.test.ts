/** The workshop step-throughs' per-session holder: bounded, oldest forgotten first, re-holding makes an entry the newest. */
import { describe, expect, it } from 'vitest';
import { HeldPerSession } from '../../../servers/workshop/heldPerSession.ts';

describe('HeldPerSession', () => {
  it('forgets the session that held something longest ago once over its limit', () => {
    const held = new HeldPerSession<string>(2);
    held.set('a', 'token-a');
    held.set('b', 'token-b');
    held.set('a', 'token-a2'); // a is now the newest
    held.set('c', 'token-c');
    expect(held.get('b')).toBeUndefined();
    expect(held.get('a')).toBe('token-a2');
    expect(held.get('c')).toBe('token-c');
  });

  it('clear forgets everything and says how many sessions held something', () => {
    const held = new HeldPerSession<number>();
    held.set('a', 1);
    held.set('b', 2);
    expect(held.clear()).toBe(2);
    expect(held.get('a')).toBeUndefined();
  });
});
