/** Fills an `ErrorCard.astro` frame: never blank, always the code (when known), the cause and the fix. */
import { h } from './dom.ts';
import type { ExplainedError } from './errorCatalog.ts';

export function renderError(card: HTMLElement, error: ExplainedError | undefined): void {
  if (!error) {
    card.hidden = true;
    card.replaceChildren();
    return;
  }
  card.replaceChildren(
    h('p', {}, error.code ? h('span', { class: 'code' }, `${error.code} `) : null, h('strong', {}, error.title)),
    error.cause ? h('p', {}, h('strong', {}, 'Why: '), error.cause) : '',
    error.fix ? h('p', {}, h('strong', {}, 'Fix: '), error.fix) : '',
    error.detail ? h('p', { class: 'detail' }, error.detail) : '',
  );
  card.hidden = false;
}
