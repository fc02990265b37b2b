/**
 * The workshop routes on the lab's own server (servers/workshop/routes.ts), as the presenter's and
 * attendees' pages call them (src/workshop/).
 */

/** Site path of the workshop routes. */
export const WORKSHOP_API = '/_lab/workshop';

/** `POST {WORKSHOP_API}/reset`: what the sandbox reset did, part by part. */
export interface SandboxResetReport {
  /** Changes on every reset; browsers compare it to notice a reset they did not trigger. */
  generation: string;
  at: string;
  parts: { name: string; done: string[]; error?: string }[];
}

/** `POST {WORKSHOP_API}/exercises/check`: the learner's answers, checked against what the lab observed. */
export interface CheckAnswers {
  /** api-403: the permission that was missing (`Tasks.ReadWrite`). */
  permission?: string;
  /** api-403: the kind of token sent. */
  tokenKind?: 'user' | 'app';
  /** roles-not-scp: the claim the API authorizes an app-only token by. */
  claim?: string;
}

/** The check's verdict. */
export interface CheckResult {
  passed: boolean;
  /** What the lab saw that counts, one line each. */
  observed: string[];
  /** What is still missing, said so the learner knows what to do next. */
  missing: string[];
}
