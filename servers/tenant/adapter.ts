/**
 * oidc-provider's storage: in memory, like its own MemoryAdapter, with two Entra-shaped twists.
 * Expired authorization codes and refresh tokens are kept a while longer, so redeeming one late
 * gets Entra's "expired" answer (AADSTS70008 / AADSTS700084) instead of "not found". And a used
 * refresh token is never marked consumed: Entra returns a new refresh token on every use but
 * "doesn't revoke old refresh tokens when used to fetch new access tokens"
 * (https://learn.microsoft.com/entra/identity-platform/refresh-tokens#token-lifetime), so the old
 * one keeps working until it expires, and oidc-provider's reuse detection never fires.
 *
 * State lives for the process: a restart signs everyone out, which suits a sandbox (the signing
 * keys, which must survive, are persisted separately in `./keys.ts`).
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** How long expired codes and refresh tokens stay findable (oidc-provider reports them expired). */
const EXPIRED_RETENTION_SECONDS: Record<string, number> = { AuthorizationCode: 24 * 60 * 60, RefreshToken: 24 * 60 * 60 };
/** A cap so a flood of requests cannot grow memory without bound; the oldest entries go first. */
const MAX_ENTRIES = 100_000;

interface Entry {
  payload: AdapterPayload;
  /** Epoch ms after which the entry is gone. */
  dropAt: number;
}

export interface MemoryStore {
  adapterFor(model: string): Adapter;
  /** Forgets everything: sessions, grants, codes, tokens (the workshop reset). */
  clear(): void;
  readonly size: number;
}

export function createMemoryStore(): MemoryStore {
  const entries = new Map<string, Entry>();
  const index = new Map<string, string>(); // `${kind}:${value}` → entry key
  const grants = new Map<string, Set<string>>(); // grantId → entry keys

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.dropAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const set = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > MAX_ENTRIES) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };

  class SandboxAdapter implements Adapter {
    readonly model: string;
    constructor(model: string) {
      this.model = model;
    }

    key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const key = this.key(id);
      const retention = EXPIRED_RETENTION_SECONDS[this.model] ?? 0;
      const dropAt = typeof expiresIn === 'number' ? Date.now() + (expiresIn + retention) * 1000 : Number.POSITIVE_INFINITY;
      set(key, { payload, dropAt });
      if (payload.grantId) {
        const members = grants.get(payload.grantId) ?? new Set<string>();
        grants.set(payload.grantId, members);
        members.add(key);
      }
      if (this.model === 'Session' && payload.uid) index.set(`uid:${payload.uid}`, key);
      if (payload.userCode) index.set(`userCode:${payload.userCode}`, key);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return live(this.key(id))?.payload;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const key = index.get(`uid:${uid}`);
      return key ? live(key)?.payload : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const key = index.get(`userCode:${userCode}`);
      return key ? live(key)?.payload : undefined;
    }

    async consume(id: string): Promise<void> {
      if (this.model === 'RefreshToken') return;
      const entry = live(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      entries.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const key of grants.get(grantId) ?? []) entries.delete(key);
      grants.delete(grantId);
    }
  }

  return {
    adapterFor: (model) => new SandboxAdapter(model),
    clear() {
      entries.clear();
      index.clear();
      grants.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
