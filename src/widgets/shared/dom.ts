/**
 * The few DOM helpers the widgets share. Text always goes in through `textContent`, never as HTML,
 * so a token, a claim value or a server message can never inject markup.
 */

export type Child = Node | string | false | null | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    element.append(child);
  }
  return element;
}

/**
 * Finds a required part of a widget's server-rendered markup, by `data-part`. Widgets nest (the
 * sign-in widget contains a token decoder), so a part belongs to the nearest `[data-widget]` root.
 */
export function part<T extends HTMLElement = HTMLElement>(root: HTMLElement, name: string): T {
  const element = [...root.querySelectorAll<T>(`[data-part="${name}"]`)].find((el) => el.closest('[data-widget]') === root);
  if (!element) throw new Error(`widget markup is missing data-part="${name}"`);
  return element;
}

/** Puts a button into its loading state (and back), so every network step shows progress. */
export function setBusy(button: HTMLButtonElement, busy: boolean, busyLabel?: string): void {
  button.disabled = busy;
  button.setAttribute('aria-busy', String(busy));
  if (busyLabel) {
    if (busy) {
      button.dataset.idleLabel = button.textContent ?? '';
      button.textContent = busyLabel;
    } else if (button.dataset.idleLabel !== undefined) {
      button.textContent = button.dataset.idleLabel;
    }
  }
}

/** Text from content/ may mark code with backticks (`RS256`): shown as <code>, still as text. */
export function inlineCode(text: string): (string | HTMLElement)[] {
  return text.split('`').map((piece, i) => (i % 2 === 1 ? h('code', {}, piece) : piece));
}
