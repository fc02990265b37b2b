/**
 * The one-key reset's confirmation: R opens a modal dialog that says what a reset does; Enter (the
 * focused "Reset the sandbox" button) confirms, Escape cancels. The dialog then lists what each
 * part of the lab reset, in the lab's own words.
 */
import { h } from '../../widgets/shared/dom.ts';
import { forgetBrowserTokens, rememberGeneration, requestSandboxReset, SANDBOX_RESET_EVENT } from './resetClient.ts';

let dialog: HTMLDialogElement | undefined;

function build(ids: { spaClientId: string; tenantId: string }): HTMLDialogElement {
  const title = h('h2', { id: 'lab-reset-title' }, 'Reset the sandbox?');
  const explain = h(
    'p',
    { id: 'lab-reset-explain' },
    'Everyone is signed out (sessions, codes, refresh tokens and consents are forgotten), the tenant publishes a fresh signing key so every token issued so far is refused, and the API’s data goes back to the seed. Attendees following along are signed out too.',
  );
  const confirm = h('button', { type: 'button', class: 'lab-reset__confirm', autofocus: true }, 'Reset the sandbox');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const output = h('output', { 'aria-live': 'polite', class: 'lab-reset__output' });
  const list = h('ul', { class: 'lab-reset__list' });
  const element = h(
    'dialog',
    { class: 'lab-reset not-content', 'aria-labelledby': 'lab-reset-title', 'aria-describedby': 'lab-reset-explain' },
    title,
    explain,
    h('div', { class: 'lab-reset__actions' }, confirm, cancel),
    output,
    list,
  );
  cancel.addEventListener('click', () => element.close());
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    confirm.setAttribute('aria-busy', 'true');
    list.replaceChildren();
    output.textContent = 'Resetting…';
    try {
      const report = await requestSandboxReset();
      const forgotten = forgetBrowserTokens(ids);
      rememberGeneration(report.generation);
      const failed = report.parts.filter((part) => part.error);
      output.textContent = failed.length
        ? `Reset finished with ${failed.length} problem${failed.length === 1 ? '' : 's'}: see below.`
        : 'The sandbox is reset: everyone is signed out, keys are fresh, data is back to the seed.';
      list.replaceChildren(
        ...report.parts.map((part) =>
          h('li', {}, h('strong', {}, `${part.name}: `), part.error ? `failed: ${part.error}` : part.done.join(' ')),
        ),
        h('li', {}, h('strong', {}, 'this browser: '), `forgot ${forgotten} cached MSAL entr${forgotten === 1 ? 'y' : 'ies'}.`),
      );
      element.dataset.state = failed.length ? 'partial' : 'done';
      document.dispatchEvent(new CustomEvent(SANDBOX_RESET_EVENT, { detail: report }));
      cancel.textContent = 'Close';
      cancel.focus();
    } catch (error) {
      element.dataset.state = 'failed';
      output.textContent = error instanceof Error ? error.message : String(error);
    } finally {
      confirm.disabled = false;
      confirm.removeAttribute('aria-busy');
    }
  });
  return element;
}

/** Opens the confirmation (creating it once per page). */
export function openResetDialog(ids: { spaClientId: string; tenantId: string }): HTMLDialogElement {
  if (!dialog) {
    dialog = build(ids);
    document.body.append(dialog);
  }
  if (!dialog.open) {
    dialog.dataset.state = 'confirm';
    dialog.querySelector('output')?.replaceChildren();
    dialog.querySelector('ul')?.replaceChildren();
    const cancel = dialog.querySelectorAll('button')[1];
    if (cancel) cancel.textContent = 'Cancel';
    dialog.showModal();
    dialog.querySelector<HTMLButtonElement>('.lab-reset__confirm')?.focus();
  }
  return dialog;
}
