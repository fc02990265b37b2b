/** HTML escaping for the tenant's pages: every value that came from a request goes through it. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Marks a string as already-safe HTML, built from escaped parts. */
export interface SafeHtml {
  readonly html: string;
}

export function raw(html: string): SafeHtml {
  return { html };
}

/** Tagged template: interpolated values are escaped unless they are `SafeHtml` (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const render = (v: unknown): string =>
      Array.isArray(v) ? v.map(render).join('') : v && typeof v === 'object' && 'html' in v ? (v as SafeHtml).html : escapeHtml(v);
    out += render(value) + (strings[i + 1] ?? '');
  });
  return { html: out };
}
