/**
 * Reads one lab session's protocol events from the sandbox tenant's Server-Sent Events stream, as
 * the live tracer does: for the captures (scripts/capture/) and the tests (tests/support/event-stream.ts).
 */
import type { LabConfig } from '../../src/config/lab.ts';
import { EVENTS_PATH, type ProtocolEvent, SESSION_KEY_PARAM } from '../../src/contracts/protocolEvents.ts';

export interface SubscribeOptions {
  /** Replay the session's buffered events first (`after=0`), for legs that already happened. */
  replay?: boolean;
  /** Stop reading after this long, whatever arrived (the caller's checks say what is missing). */
  timeoutMs?: number;
}

/**
 * Connects to the stream (resolves once the tenant answered) and returns the reader: it collects
 * events until `done` says enough, the stream ends or the timeout passes, then closes the stream.
 */
export async function subscribeSessionEvents(
  config: LabConfig,
  /** The session's key (the stream takes the key; legs are tagged with `sessionIdOfKey(key)`). */
  sessionKey: string,
  { replay = false, timeoutMs = 10_000 }: SubscribeOptions = {},
): Promise<(done: (events: ProtocolEvent[]) => boolean) => Promise<ProtocolEvent[]>> {
  const controller = new AbortController();
  const safety = setTimeout(() => controller.abort(), timeoutMs);
  const query = `${SESSION_KEY_PARAM}=${sessionKey}${replay ? '&after=0' : ''}`;
  const response = await fetch(`${config.tenantOrigin}${EVENTS_PATH}?${query}`, {
    signal: controller.signal,
    headers: { origin: config.siteOrigin },
  });
  return async (done) => {
    const events: ProtocolEvent[] = [];
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      while (!done(events)) {
        const { value, done: ended } = await reader.read();
        if (ended) break;
        buffer += decoder.decode(value, { stream: true });
        const frames = buffer.split('\n\n');
        buffer = frames.pop() ?? '';
        for (const frame of frames) {
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)) as ProtocolEvent);
        }
      }
    } catch {
      // aborted by the timeout: the caller's checks say what was missing
    } finally {
      clearTimeout(safety);
      controller.abort();
    }
    return events;
  };
}
