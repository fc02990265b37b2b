/**
 * The API's resource: a tiny in-memory to-do list per user, keyed by (`tid`, `oid`) as Entra
 * recommends — never by `preferred_username` or e-mail, which can change or be reassigned.
 * Seeded for the sandbox users so the first call already returns something to look at.
 */
import { SANDBOX_TENANT_ID, type SandboxUserName, sandboxUsers } from '../../src/config/sandbox.ts';

export interface Task {
  id: string;
  title: string;
  done: boolean;
  /** Owner's tenant and object ID. */
  tid: string;
  oid: string;
  createdAt: string;
}

const SEED: Record<SandboxUserName, string[]> = {
  alice: ['Register the SPA with a redirect URI of type "Single-page application"', 'Expose the Tasks.Read scope', 'Check aud before scp'],
  bob: ['Grant the daemon the Tasks.Read.All app role', 'Rotate the daemon secret'],
};

/** Bounds that keep memory flat whatever callers post. */
export const TASK_LIMITS = { titleLength: 200, perUser: 50, total: 5000 } as const;

export class TaskLimitError extends Error {}

export interface TaskStore {
  listFor(tid: string, oid: string): Task[];
  listAll(): Task[];
  add(tid: string, oid: string, title: string): Task;
  /** Back to the seed data (the workshop reset); returns how many tasks there are now. */
  reset(): number;
}

export function createTaskStore(seed = true): TaskStore {
  const tasks: Task[] = [];
  let next = 1;
  const make = (tid: string, oid: string, title: string): Task => ({
    id: String(next++),
    title,
    done: false,
    tid,
    oid,
    createdAt: new Date().toISOString(),
  });
  const plant = () => {
    if (!seed) return;
    for (const [name, titles] of Object.entries(SEED) as [SandboxUserName, string[]][]) {
      for (const title of titles) tasks.push(make(SANDBOX_TENANT_ID, sandboxUsers[name].oid, title));
    }
  };
  plant();
  const listFor = (tid: string, oid: string) => tasks.filter((t) => t.tid === tid && t.oid === oid);
  return {
    listFor,
    listAll: () => [...tasks],
    add(tid, oid, title) {
      if (listFor(tid, oid).length >= TASK_LIMITS.perUser || tasks.length >= TASK_LIMITS.total) {
        throw new TaskLimitError(`This sandbox API keeps at most ${TASK_LIMITS.perUser} tasks per user.`);
      }
      const task = make(tid, oid, title);
      tasks.push(task);
      return task;
    },
    reset() {
      tasks.length = 0;
      next = 1;
      plant();
      return tasks.length;
    },
  };
}
