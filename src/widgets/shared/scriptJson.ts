/**
 * JSON for a `<script type="application/json">` element: `<` is escaped so no value can close the
 * element early (`</script>`) or open a comment; JSON.parse reads `\u003c` back as `<`.
 */
export function toScriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Reads the first `<script type="application/json" data-NAME>` in `root`, or undefined. */
export function readScriptJson<T>(root: ParentNode, attribute: string): T | undefined {
  const element = root.querySelector(`script[type="application/json"][${attribute}]`);
  if (!element?.textContent) return undefined;
  return JSON.parse(element.textContent) as T;
}
