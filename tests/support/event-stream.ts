/**
 * Reads one browser session's protocol events from the sandbox tenant's Server-Sent Events stream,
 * as the live tracer does, while `run` drives a flow; stops when `done` says enough (or after 10 s).
 */
import type { LabConfig } from '../../src/config/lab.ts';
import { type ProtocolEvent, SESSION_KEY_PARAM } from '../../src/contracts/protocolEvents.ts';

export async function collectEvents(
  config: LabConfig,
  /** The session's key (the stream takes the key; legs are tagged with `sessionIdOfKey(key)`). */
  sessionKey: string,
  run: () => Promise<void>,
  done: (events: ProtocolEvent[]) => boolean,
): Promise<ProtocolEvent[]> {
  const controller = new AbortController();
  const response = await fetch(`${config.tenantOrigin}/_lab/events?${SESSION_KEY_PARAM}=${sessionKey}`, {
    signal: controller.signal,
    headers: { origin: config.siteOrigin },
  });
  const events: ProtocolEvent[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const safety = setTimeout(() => controller.abort(), 10_000);
  const reading = (async () => {
    try {
      while (!done(events)) {
        const { value, done: ended } = await reader.read();
        if (ended) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)));
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by the safety timeout; the caller's assertions say what was missing
    }
  })();
  await run();
  await reading;
  clearTimeout(safety);
  controller.abort();
  return events;
}
