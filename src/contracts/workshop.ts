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
