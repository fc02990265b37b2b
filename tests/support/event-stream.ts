/**
 * Reads one browser session's protocol events from the sandbox tenant's Server-Sent Events stream,
 * as the live tracer does, while `run` drives a flow; stops when `done` says enough (or after 10 s).
 */
import { subscribeSessionEvents } from '../../scripts/lib/session-events.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import type { ProtocolEvent } from '../../src/contracts/protocolEvents.ts';

export async function collectEvents(
  config: LabConfig,
  /** The session's key (the stream takes the key; legs are tagged with `sessionIdOfKey(key)`). */
  sessionKey: string,
  run: () => Promise<void>,
  done: (events: ProtocolEvent[]) => boolean,
): Promise<ProtocolEvent[]> {
  const read = await subscribeSessionEvents(config, sessionKey);
  const reading = read(done);
  await run();
  return reading;
}

/** The events of a session's legs that already ran (replayed from the tenant's buffer), until `last` arrives. */
export async function sessionEvents(
  config: LabConfig,
  sessionKey: string,
  last: (event: ProtocolEvent) => boolean,
): Promise<ProtocolEvent[]> {
  const read = await subscribeSessionEvents(config, sessionKey, { replay: true, timeoutMs: 5_000 });
  return read((events) => events.some(last));
}
