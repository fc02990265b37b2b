/**
 * The workshop reset: sign everyone out, fresh keys, fresh data — between two groups, or when a
 * demo went sideways. Each server of the lab registers how to reset its own state when it starts
 * (the tenant: sessions, grants, consents and its signing key; the API: its data and the keys it
 * cached), and `resetSandbox()` runs them in order.
 *
 * In-process on purpose: `npm start` runs every server in one Node process, so a reset needs no
 * admin endpoint on the tenant or the API. The only way in from a browser is the presenter-only
 * route in `./routes.ts`.
 */

import { randomUUID } from 'node:crypto';
import type { SandboxResetReport } from '../../src/contracts/workshop.ts';
import { protocolEvents } from '../events/index.ts';

export interface SandboxResetter {
  /** Which part of the lab this resets (`tenant`, `api`, `daemon`…). */
  name: string;
  /**
   * Lower runs first. The tenant (10) publishes its new key before the API (20) drops the keys it
   * cached, so the API's next fetch already gets the new key set.
   */
  order: number;
  /** Resets, then says what it did in one line per change, for the presenter. */
  reset(): Promise<string[]>;
}

const resetters = new Map<string, SandboxResetter>();
/** Unique per process: a restart empties the tenant's in-memory sessions too, which is also a reset. */
const boot = randomUUID().slice(0, 8);
let resets = 0;
let running: Promise<SandboxResetReport> | undefined;

/** Registers a part's reset; returns the function that unregisters it (call it when the server closes). */
export function registerSandboxReset(resetter: SandboxResetter): () => void {
  resetters.set(resetter.name, resetter);
  return () => {
    if (resetters.get(resetter.name) === resetter) resetters.delete(resetter.name);
  };
}

/** Names of the parts a reset would reset now, in order. */
export function registeredResetters(): string[] {
  return [...resetters.values()].sort((a, b) => a.order - b.order).map((r) => r.name);
}

export function sandboxGeneration(): string {
  return `${boot}.${resets}`;
}

async function runReset(): Promise<SandboxResetReport> {
  const parts: SandboxResetReport['parts'] = [];
  for (const resetter of [...resetters.values()].sort((a, b) => a.order - b.order)) {
    try {
      parts.push({ name: resetter.name, done: await resetter.reset() });
    } catch (error) {
      // One part failing must not stop the others: the presenter sees which one and why.
      parts.push({ name: resetter.name, done: [], error: error instanceof Error ? error.message : String(error) });
    }
  }
  // Last, so no event of the old sandbox is replayed to a tracer or counted by an exercise checker.
  protocolEvents.clear();
  parts.push({ name: 'events', done: ['Forgot every buffered protocol event (tracers and exercise checks start fresh).'] });
  resets += 1;
  return { generation: sandboxGeneration(), at: new Date().toISOString(), parts };
}

/** Runs every registered reset once; a second call while one runs gets the same report. */
export function resetSandbox(): Promise<SandboxResetReport> {
  running ??= runReset().finally(() => {
    running = undefined;
  });
  return running;
}

/** Registers `resetter` for as long as `running` runs: closing it unregisters the reset too. */
export function withSandboxReset<T extends { close(): Promise<void> }>(running: T, resetter: SandboxResetter): T {
  const unregister = registerSandboxReset(resetter);
  return {
    ...running,
    close: async () => {
      unregister();
      await running.close();
    },
  };
}

/** The tenant's part of the reset, in the presenter's words (servers/tenant/main.ts `AdminActions.reset`). */
export function tenantResetter(tenant: { reset(options: { rotateKeys: boolean }): Promise<unknown> }): SandboxResetter {
  return {
    name: 'tenant',
    order: 10,
    async reset() {
      const result = (await tenant.reset({ rotateKeys: true })) as { rotated?: { added?: string } } | undefined;
      return [
        'Signed everyone out: sessions, authorization codes, refresh tokens and consents are forgotten.',
        `Published a new signing key${result?.rotated?.added ? ` (kid ${result.rotated.added.slice(0, 8)}…)` : ''} and retired the old one at once: every token issued before is refused.`,
      ];
    },
  };
}

/** The API's part of the reset (servers/api/main.ts `RunningApi.resetSandboxState`). */
export function apiResetter(api: { resetSandboxState(): string[] }): SandboxResetter {
  return { name: 'api', order: 20, reset: async () => api.resetSandboxState() };
}
