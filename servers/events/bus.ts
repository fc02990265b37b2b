/**
 * The protocol event bus: publishers (tenant, API, daemon runner) hand it events, subscribers
 * (the Server-Sent Events endpoint, tests) get the ones for one browser session.
 *
 * In-process and in-memory on purpose: `npm start` runs every server in one Node process, and a
 * tracer only needs the last few flows. Each session keeps a short replay buffer, so a page that
 * reconnects after the sign-in redirect still sees the legs that happened while it was away.
 */
import type { ProtocolEvent, ProtocolEventInput } from '../../src/contracts/protocolEvents.ts';

export type ProtocolEventListener = (event: ProtocolEvent) => void;

export interface EventBusLimits {
  /** Events kept per session for replay. */
  bufferPerSession: number;
  /** Sessions kept; the least recently active one is forgotten first. */
  maxSessions: number;
}

const DEFAULT_LIMITS: EventBusLimits = { bufferPerSession: 200, maxSessions: 500 };

/** Subscribe to this to see every event, scoped or not (tests, server-side logging). */
export const ALL_SESSIONS = '*';

export class EventBus {
  #nextId = 1;
  readonly #limits: EventBusLimits;
  /** Insertion order doubles as recency: a session is re-inserted when it gets an event. */
  readonly #buffers = new Map<string, ProtocolEvent[]>();
  readonly #listeners = new Map<string, Set<ProtocolEventListener>>();

  constructor(limits: Partial<EventBusLimits> = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  publish(input: ProtocolEventInput): ProtocolEvent {
    const event: ProtocolEvent = { ...input, id: this.#nextId++, at: new Date().toISOString() };
    if (event.sessionId) {
      this.#remember(event.sessionId, event);
      this.#notify(event.sessionId, event);
    }
    this.#notify(ALL_SESSIONS, event);
    return event;
  }

  /**
   * Whether an event for `sessionId` would reach anyone: a session's events are kept for replay,
   * and a session-less one only reaches `ALL_SESSIONS` subscribers. Publishers on a hot path (the
   * token endpoint) skip building an event nobody can receive: masking and decoding tokens for it
   * was a measurable share of each token request.
   */
  isHeard(sessionId: string | undefined): boolean {
    return sessionId !== undefined || (this.#listeners.get(ALL_SESSIONS)?.size ?? 0) > 0;
  }

  /**
   * Calls `listener` for each new event of `sessionId` (or of every session with `ALL_SESSIONS`).
   * Returns the function that unsubscribes.
   */
  subscribe(sessionId: string, listener: ProtocolEventListener): () => void {
    const set = this.#listeners.get(sessionId) ?? new Set<ProtocolEventListener>();
    this.#listeners.set(sessionId, set);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(sessionId);
    };
  }

  /** The buffered events of a session with an id greater than `afterId`, oldest first. */
  recent(sessionId: string, afterId = 0): ProtocolEvent[] {
    return (this.#buffers.get(sessionId) ?? []).filter((event) => event.id > afterId);
  }

  /** Forgets every buffered event (the workshop reset). Subscribers stay connected. */
  clear(): void {
    this.#buffers.clear();
  }

  #remember(sessionId: string, event: ProtocolEvent): void {
    const buffer = this.#buffers.get(sessionId) ?? [];
    this.#buffers.delete(sessionId);
    buffer.push(event);
    if (buffer.length > this.#limits.bufferPerSession) buffer.shift();
    this.#buffers.set(sessionId, buffer);
    if (this.#buffers.size > this.#limits.maxSessions) {
      const oldest = this.#buffers.keys().next().value;
      if (oldest !== undefined) this.#buffers.delete(oldest);
    }
  }

  #notify(key: string, event: ProtocolEvent): void {
    for (const listener of this.#listeners.get(key) ?? []) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (e.g. a closed socket) must never break the flow it observes.
      }
    }
  }
}

/** The process-wide bus every server publishes to. */
export const protocolEvents = new EventBus();
