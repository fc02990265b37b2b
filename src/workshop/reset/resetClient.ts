/**
 * The browser's side of the workshop reset: asking the lab to reset (presenter only, see
 * servers/workshop/routes.ts), forgetting the tokens this tab's MSAL cache holds, and remembering
 * the sandbox's new generation. Noticing a reset someone else triggered is ../presenter/boot.ts's
 * job: every page compares the generation with the one it saw last, so an attendee's stale sign-in
 * disappears at their next page load.
 */
import { type SandboxResetReport, WORKSHOP_API } from '../../contracts/workshop.ts';

export const GENERATION_STORAGE_KEY = 'entra-flows-lab.sandbox-generation';
/** Dispatched on `document` after this tab reset the sandbox or noticed a reset. */
export const SANDBOX_RESET_EVENT = 'lab:sandbox-reset';

export class SandboxResetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxResetError';
  }
}

export async function requestSandboxReset(): Promise<SandboxResetReport> {
  let response: Response;
  try {
    response = await fetch(`${WORKSHOP_API}/reset`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ confirm: 'reset' }),
    });
  } catch {
    throw new SandboxResetError("The lab's server did not answer. Is it running (npm start)?");
  }
  const body = (await response.json().catch(() => ({}))) as Partial<SandboxResetReport> & { error?: string; error_description?: string };
  if (!response.ok || !Array.isArray(body.parts)) {
    throw new SandboxResetError(
      response.status === 404
        ? 'This server cannot reset the sandbox: start the lab with npm start (npm run dev serves pages only).'
        : (body.error_description ?? `The reset failed with HTTP ${response.status}.`),
    );
  }
  return body as SandboxResetReport;
}

/**
 * Removes what MSAL.js cached in this tab (accounts, ID, access and refresh tokens: the sign-in
 * widget keeps them in sessionStorage) so no page shows a signed-in user the tenant no longer knows.
 */
export function forgetBrowserTokens(ids: { spaClientId: string; tenantId: string }, storage: Storage = sessionStorage): number {
  // MSAL's keys: `msal.*` indexes, tokens keyed with the client ID, accounts keyed with `{oid}.{tid}`.
  const marks = [ids.spaClientId, ids.tenantId].filter(Boolean).map((id) => id.toLowerCase());
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key && (key.startsWith('msal.') || marks.some((mark) => key.toLowerCase().includes(mark)))) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
  return keys.length;
}

export function rememberGeneration(generation: string, storage: Storage = sessionStorage): void {
  try {
    storage.setItem(GENERATION_STORAGE_KEY, generation);
  } catch {}
}
