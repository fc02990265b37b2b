/**
 * What a workshop step-through holds for each attendee's browser session between two clicks (the
 * daemon's token, the CI job's token): bounded, so a room of attendees (or a script) cannot grow it
 * without limit; the session that held something longest ago is forgotten first.
 */
export class HeldPerSession<T> {
  readonly #held = new Map<string, T>();
  readonly #limit: number;

  constructor(limit = 500) {
    this.#limit = limit;
  }

  get(sessionId: string): T | undefined {
    return this.#held.get(sessionId);
  }

  /** Holds `value` for the session, as its newest entry. */
  set(sessionId: string, value: T): void {
    this.#held.delete(sessionId);
    this.#held.set(sessionId, value);
    if (this.#held.size > this.#limit) {
      const oldest = this.#held.keys().next().value;
      if (oldest !== undefined) this.#held.delete(oldest);
    }
  }

  /** Forgets everything (the workshop reset); says how many sessions held something. */
  clear(): number {
    const count = this.#held.size;
    this.#held.clear();
    return count;
  }
}
