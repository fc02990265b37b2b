/**
 * Workshop mode's on-demand part (./boot.ts loads it): the presenter's keys (R reset, N speaker
 * notes, and →/←/Home on flow pages, where the step-through driver loads), presenter mode on and
 * off, and dropping a stale sign-in after a sandbox reset made from another browser.
 */
import type { PublicLabConfig } from '../../config/lab.ts';
import { sitePath } from '../../config/sitePath.ts';
import { readScriptJson } from '../../widgets/shared/scriptJson.ts';
import { NOTES_CHANNEL, NOTES_PATH, NOTES_WINDOW_NAME, parseNotesMessage } from '../notes/channel.ts';
import { forgetBrowserTokens, SANDBOX_RESET_EVENT } from '../reset/resetClient.ts';
import type { StepThroughDriver } from '../stepThrough/driver.ts';
import type { StepThroughPlan } from '../stepThrough/plan.ts';
import { applyPresent, isPresenting } from './presenterMode.ts';

let driver: StepThroughDriver | undefined;
let listening = false;

function pageConfig(): PublicLabConfig | undefined {
  try {
    return readScriptJson<PublicLabConfig>(document, 'data-lab-config');
  } catch {
    return undefined;
  }
}

function pagePlans(): StepThroughPlan[] {
  try {
    return readScriptJson<StepThroughPlan[]>(document, 'data-workshop-plans') ?? [];
  } catch {
    return [];
  }
}

/** Loads the step-through (and the flow's real legs) only in presenter mode on a page that shows a flow. */
async function startStepThrough(): Promise<void> {
  const config = pageConfig();
  const plan = pagePlans().find((p) => document.querySelector(`figure.flow-diagram[data-flow="${CSS.escape(p.flowId)}"]`));
  if (!config || !plan || driver) return;
  const figure = document.querySelector(`figure.flow-diagram[data-flow="${CSS.escape(plan.flowId)}"]`) as Element;
  // The live tracer, when the page embeds it after the diagram (or draws the diagram inside it), stays next
  // to the diagram: the stage goes after both.
  const tracer = document.querySelector(`flow-tracer[data-flow="${CSS.escape(plan.flowId)}"]`);
  const anchor =
    tracer && (tracer.contains(figure) || figure.compareDocumentPosition(tracer) & Node.DOCUMENT_POSITION_FOLLOWING) ? tracer : figure;
  const { StepThroughDriver } = await import('../stepThrough/driver.ts');
  if (!isPresenting() || driver) return;
  driver = new StepThroughDriver(plan, config, anchor);
  document.documentElement.setAttribute('data-step-through', plan.flowId);
}

function stopStepThrough(): void {
  driver?.destroy();
  driver = undefined;
  document.documentElement.removeAttribute('data-step-through');
}

function openNotes(): void {
  window.open(sitePath(NOTES_PATH), NOTES_WINDOW_NAME, 'popup=yes,width=960,height=760')?.focus();
}

async function openReset(): Promise<void> {
  const ids = pageConfig()?.ids;
  const { openResetDialog } = await import('../reset/resetDialog.ts');
  openResetDialog({ spaClientId: ids?.spaClientId ?? '', tenantId: ids?.tenantId ?? '' });
}

const isEditable = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

function onKeyDown(event: KeyboardEvent): void {
  if (!isPresenting() || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isEditable(event.target)) return;
  if (document.querySelector('dialog[open]')) return; // the reset confirmation, the search dialog: their own keys
  const key = event.key;
  if (driver && (key === 'ArrowRight' || key === 'PageDown')) driver.command('next', true);
  else if (driver && (key === 'ArrowLeft' || key === 'PageUp')) driver.command('back', true);
  else if (driver && key === 'Home') driver.command('start', true);
  else if ((key === 'n' || key === 'N') && location.pathname !== sitePath(NOTES_PATH)) openNotes();
  else if (key === 'r' || key === 'R') void openReset();
  else return;
  event.preventDefault();
}

/** Tells an open notes window which page the presenter is on (it shows the step-through's state when there is one). */
function announcePage(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(NOTES_CHANNEL);
  channel.postMessage({
    type: 'page',
    title: document.title,
    path: location.pathname,
    presenting: isPresenting(),
    hasStepThrough: Boolean(driver),
  });
  channel.close();
}

function listen(): void {
  if (listening) return;
  listening = true;
  document.addEventListener('keydown', onKeyDown);
  document.addEventListener('lab:open-notes', openNotes);
  if (typeof BroadcastChannel !== 'undefined') {
    new BroadcastChannel(NOTES_CHANNEL).addEventListener('message', (event) => {
      if (parseNotesMessage(event.data)?.type === 'hello') announcePage();
    });
  }
}

/** Presenter mode on or off for this browser session; on a flow page, on starts the step-through. */
export async function setPresenting(on: boolean): Promise<void> {
  applyPresent(on);
  for (const toggle of document.querySelectorAll<HTMLButtonElement>('button[data-present-toggle]'))
    toggle.setAttribute('aria-pressed', String(on));
  listen();
  if (on) await startStepThrough();
  else stopStepThrough();
  announcePage();
}

/**
 * Another browser (the presenter) reset the sandbox since this tab last looked: the tenant no longer
 * knows this tab's sign-in, so drop what MSAL.js cached and reload once, so no widget shows it.
 */
export function forgetStaleSignIn(): void {
  const ids = pageConfig()?.ids;
  const forgotten = ids ? forgetBrowserTokens(ids) : 0;
  document.dispatchEvent(new CustomEvent(SANDBOX_RESET_EVENT, { detail: { noticed: true } }));
  if (forgotten > 0) location.reload();
}
