/**
 * The tenant's side of the protocol event bus: tags each event with the browser session it
 * belongs to. Top-level legs (authorize, sign-in) carry the session themselves; a token request
 * from MSAL does too (`extraQueryParameters`), and when it does not, the session is found through
 * the grant its code or refresh token belongs to.
 */
import type { IncomingMessage } from 'node:http';
import { type EventBus, type ProtocolEvent, type ProtocolEventInput, sessionIdOf } from '../events/index.ts';

const MAX_LINKS = 10_000;

export class TenantEvents {
  readonly bus: EventBus;
  readonly #sessionByGrant = new Map<string, string>();

  constructor(bus: EventBus) {
    this.bus = bus;
  }

  sessionOf(req: IncomingMessage, url?: URL, grantId?: string): string | undefined {
    return sessionIdOf(req, url) ?? (grantId ? this.#sessionByGrant.get(grantId) : undefined);
  }

  /** Remembers which browser session a grant (and so its codes and refresh tokens) belongs to. */
  linkGrant(grantId: string | undefined, sessionId: string | undefined): void {
    if (!grantId || !sessionId) return;
    this.#sessionByGrant.delete(grantId);
    this.#sessionByGrant.set(grantId, sessionId);
    if (this.#sessionByGrant.size > MAX_LINKS) {
      const oldest = this.#sessionByGrant.keys().next().value;
      if (oldest !== undefined) this.#sessionByGrant.delete(oldest);
    }
  }

  /** Whether an event of this session would reach anyone (see `EventBus#isHeard`). */
  isHeard(sessionId: string | undefined): boolean {
    return this.bus.isHeard(sessionId);
  }

  publish(input: Omit<ProtocolEventInput, 'source'>): ProtocolEvent {
    return this.bus.publish({ ...input, source: 'tenant' });
  }

  clear(): void {
    this.#sessionByGrant.clear();
  }
}
