/**
 * The web app's server-side sessions. The browser holds only a random session id in a cookie;
 * everything else (the sign-in in progress, who signed in, the token cache, what the server did)
 * stays here, in this process's memory.
 *
 * The cookie: `HttpOnly` (no script can read it), `SameSite=Lax` (sent on top-level navigations,
 * including the redirect back from Entra with `response_mode=query`; not on cross-site POSTs),
 * `Path=/` (the app's pages and its `/auth/` routes). It cannot be `Secure` on http://localhost:
 * a browser would not send a `Secure` cookie over plain HTTP. In production the app runs on HTTPS
 * and the cookie must be `Secure` (better: named `__Host-…`, which requires Secure and Path=/).
 * Cookies do not isolate by port (RFC 6265 §8.5), so on localhost the lab's other servers receive
 * this cookie too; they ignore it. https://www.rfc-editor.org/rfc/rfc6265#section-8.5
 */
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE_NAME = 'webapp_session';

/** A session unused this long is forgotten, with its tokens. */
export const SESSION_IDLE_MS = 60 * 60 * 1000;
const MAX_SESSIONS = 1000;

export type WebAppCredentialKind = 'secret' | 'certificate';

/** What the server keeps between sending the browser to /authorize and the browser coming back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  credential: WebAppCredentialKind;
}

/** Who signed in, from the ID token the server validated (MSAL's account). */
export interface SignedInUser {
  homeAccountId: string;
  name: string;
  username: string;
  oid: string;
  tid: string;
  /** The ID token's claims worth showing (never the token). */
  idTokenClaims: Record<string, unknown>;
}

/** One line of the "what the server did" panel, already masked. */
export interface ServerLeg {
  id: 'authorize-redirect' | 'code-redemption' | 'token-response' | 'session' | 'api-call' | 'profile-call' | 'sign-out';
  title: string;
  ok: boolean;
  /** `POST https://…/token`. */
  line: string;
  /** Labelled values, masked. */
  fields: [label: string, value: string][];
  /** A masked JSON body (form, token response, API answer). */
  body?: unknown;
  note?: string;
}

export interface WebAppSession {
  id: string;
  /** Anti-CSRF value for the sign-out form (the cookie is SameSite=Lax; this also stops same-site posts). */
  csrf: string;
  /** The lab's browser session (`lab_session`), so the tracer shows this session's legs. */
  labSession?: string;
  pending?: PendingSignIn;
  user?: SignedInUser;
  credential?: WebAppCredentialKind;
  /** MSAL's serialized token cache for this session only (./cachePlugin.ts). */
  tokenCache: string;
  legs: ServerLeg[];
  lastSeen: number;
}

const newId = () => randomBytes(32).toString('base64url');

export class SessionStore {
  readonly #sessions = new Map<string, WebAppSession>();

  create(): WebAppSession {
    this.#sweep();
    const session: WebAppSession = { id: newId(), csrf: newId(), tokenCache: '', legs: [], lastSeen: Date.now() };
    this.#sessions.set(session.id, session);
    if (this.#sessions.size > MAX_SESSIONS) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest !== undefined) this.#sessions.delete(oldest);
    }
    return session;
  }

  /** The live session with this id, if any; touching it keeps it alive. */
  get(id: string | undefined): WebAppSession | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    if (Date.now() - session.lastSeen > SESSION_IDLE_MS) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.lastSeen = Date.now();
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
    return session;
  }

  /**
   * A new id for the same session, after sign-in: an id an attacker planted before the sign-in
   * (session fixation) stops working. https://owasp.org/www-community/attacks/Session_fixation
   */
  rotate(session: WebAppSession): WebAppSession {
    this.#sessions.delete(session.id);
    const rotated = { ...session, id: newId(), csrf: newId() };
    this.#sessions.set(rotated.id, rotated);
    return rotated;
  }

  destroy(id: string): void {
    this.#sessions.delete(id);
  }

  clear(): number {
    const count = this.#sessions.size;
    this.#sessions.clear();
    return count;
  }

  get size(): number {
    return this.#sessions.size;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [id, session] of this.#sessions) if (now - session.lastSeen > SESSION_IDLE_MS) this.#sessions.delete(id);
  }
}

/** The `Set-Cookie` value for a session id, or the one that deletes the cookie. */
export function sessionCookie(id: string | undefined): string {
  const attributes = 'Path=/; HttpOnly; SameSite=Lax';
  return id ? `${SESSION_COOKIE_NAME}=${id}; ${attributes}` : `${SESSION_COOKIE_NAME}=; ${attributes}; Max-Age=0`;
}

/** The session id among a request's cookies. */
export function sessionIdFromCookies(cookieHeader: string | null | undefined): string | undefined {
  for (const part of cookieHeader?.split(';') ?? []) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE_NAME) {
      const value = rest.join('=');
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
