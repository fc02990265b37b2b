/**
 * Post-processing of a Mermaid sequence-diagram SVG, as serialised by mermaid-isomorphic:
 * stable element ids, `role="img"`, and one `data-step` hook per message so the live flow tracer
 * can highlight a message by its flow step id (`[data-step="token-request"]`).
 *
 * Pure string work on Mermaid's own output format, so it is unit-tested against real renders.
 */

export class DiagramHookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiagramHookError';
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Mermaid prefixes every id in the SVG (markers, title, desc, the scoped `<style>`) with the render
 * id, which depends on the diagram's position in a render batch. Renaming it to an id derived from
 * the flow keeps the output stable, cacheable, and unique when two SVGs share a page.
 */
export function renameSvgId(svg: string, renderId: string, stableId: string): string {
  if (!svg.includes(`id="${renderId}"`)) throw new DiagramHookError(`The SVG has no root id "${renderId}" to rename.`);
  // `mermaid-1` must not match inside `mermaid-10`.
  return svg.replace(new RegExp(`${escapeRegExp(renderId)}(?![0-9])`, 'g'), stableId);
}

/**
 * One message as Mermaid draws it, in document order: its label (one `<text class="messageText">`
 * per line), the arrow (`<line>`, or a `<path>` for a message to itself, marked `data-et="message"`),
 * then, with `autonumber`, the number's marker line and text.
 */
const MESSAGE_GROUP =
  /((?:<text\b[^>]*\bclass="messageText"[^>]*>[\s\S]*?<\/text>)+)(<(?:line|path)\b[^>]*\bdata-et="message"[^>]*\/>)((?:<line\b[^>]*sequencenumber[^>]*\/>)?(?:<text\b[^>]*\bclass="sequenceNumber"[^>]*>[^<]*<\/text>)?)/g;

const withStep = (element: string, stepId: string) => element.replace(/^<(text|line|path)\b/, `<$1 data-step="${stepId}"`);

/**
 * Wraps each message in `<g class="flow-step" data-step="{id}">` and marks its arrow and label with
 * the same `data-step`. Fails loudly when the SVG has a different number of messages than the flow
 * has steps: a silent mismatch would make the tracer light up the wrong arrow.
 */
export function addStepHooks(svg: string, stepIds: readonly string[]): string {
  let index = 0;
  const hooked = svg.replace(MESSAGE_GROUP, (_match, labels: string, arrow: string, number: string) => {
    const stepId = stepIds[index];
    if (stepId === undefined) {
      throw new DiagramHookError(`The diagram has more messages than the flow's ${stepIds.length} steps.`);
    }
    const hookedLabels = labels.replace(/<text\b/g, `<text data-step="${stepId}"`);
    const group = `<g class="flow-step" data-step="${stepId}" data-step-index="${index + 1}">${hookedLabels}${withStep(arrow, stepId)}${number}</g>`;
    index += 1;
    return group;
  });
  if (index !== stepIds.length) {
    throw new DiagramHookError(
      `The diagram has ${index} messages but the flow has ${stepIds.length} steps (${stepIds.join(', ')}); every step must be one message.`,
    );
  }
  return hooked;
}

/**
 * Mermaid centres a message-to-self label on the lifeline, where the line and the step number
 * cross it. Moving the label beside the lifeline (left of it, or right of the loop for the first
 * participant) keeps every word readable.
 */
export function placeSelfMessageLabels(svg: string): string {
  const lifelines = [...svg.matchAll(/<line\b[^>]*\bdata-et="life-line"[^>]*\/>/g)].map((m) => Number(/\bx1="([^"]+)"/.exec(m[0])?.[1]));
  const firstLifeline = Math.min(...lifelines);
  return svg.replace(MESSAGE_GROUP, (group: string, labels: string, arrow: string) => {
    if (!arrow.startsWith('<path')) return group;
    // A self-message loop starts on its lifeline: `d="M 651,531 C …"`.
    const lifelineX = Number(/\bd="M\s*([\d.]+)/.exec(arrow)?.[1]);
    if (!Number.isFinite(lifelineX)) return group;
    const onLeft = lifelineX > firstLifeline;
    const x = onLeft ? lifelineX - 16 : lifelineX + 52;
    const placed = labels.replace(/<text\b[^>]*>/g, (tag) =>
      tag.replace(/\bx="[^"]*"/, `x="${x}"`).replace(/\btext-anchor="[^"]*"/, `text-anchor="${onLeft ? 'end' : 'start'}"`),
    );
    return group.replace(labels, placed);
  });
}

/**
 * Removes Mermaid's own `<style>` element. The site's Content-Security-Policy only lets through
 * `<style>` elements whose hash Astro knows, so the diagram is styled by the component's stylesheet
 * instead, with Starlight's theme colours: one SVG that follows the light and dark themes.
 */
export function stripStyleElements(svg: string): string {
  return svg.replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '');
}

/**
 * The diagram's colours, as `style` attributes on its elements. They reference custom properties
 * (`--diagram-line` …) that the page sets from Starlight's theme variables, so one SVG follows the
 * light and dark themes. Attributes rather than a stylesheet: the site's CSP allows inline style
 * attributes but only hashed `<style>` elements. Each `var()` has a fallback for use outside the page.
 */
const ELEMENT_STYLES: { match: RegExp; style: string }[] = [
  {
    match: /^<rect\b[^>]*\bclass="actor\b/,
    style: 'fill: var(--diagram-actor-fill, #e3e9ff); stroke: var(--diagram-actor-border, #3548a8); stroke-width: 1.5px',
  },
  { match: /^<text\b[^>]*\bclass="actor\b/, style: 'fill: var(--diagram-text, #14161b); stroke: none' },
  { match: /^<line\b[^>]*\bclass="actor-line\b/, style: 'stroke: var(--diagram-lifeline, #5d6475); stroke-width: 1.5px' },
  { match: /^<(?:line|path)\b[^>]*\bclass="messageLine0\b/, style: 'stroke: var(--diagram-line, #2b2f3a); stroke-width: 2px; fill: none' },
  {
    match: /^<(?:line|path)\b[^>]*\bclass="messageLine1\b/,
    style: 'stroke: var(--diagram-line, #2b2f3a); stroke-width: 2px; stroke-dasharray: 5 4; fill: none',
  },
  { match: /^<text\b[^>]*\bclass="messageText\b/, style: 'fill: var(--diagram-text, #14161b); stroke: none' },
  { match: /^<text\b[^>]*\bclass="sequenceNumber\b/, style: 'fill: var(--diagram-number-text, #ffffff); font-weight: 700' },
  // The step-number circle is a marker on a zero-length line; markers scale with the line's stroke
  // width, and Mermaid's own stylesheet set it to 2px for every line.
  { match: /^<line\b[^>]*\bmarker-start="url\(#[^)]*-sequencenumber\)"/, style: 'stroke-width: 2px' },
];

const MARKER_STYLES: Record<string, string> = {
  arrowhead: 'fill: var(--diagram-line, #2b2f3a); stroke: var(--diagram-line, #2b2f3a)',
  sequencenumber: 'fill: var(--diagram-number-fill, #2b2f3a)',
};

function addStyle(tag: string, style: string): string {
  // Later declarations win, so ours override Mermaid's inline ones (e.g. its dash pattern).
  if (/\sstyle="/.test(tag))
    return tag.replace(/\sstyle="([^"]*)"/, (_m, existing: string) => ` style="${existing.replace(/;?\s*$/, '; ')}${style}"`);
  return tag.replace(/^<([a-zA-Z]+)\b/, `<$1 style="${style}"`);
}

export function styleSequenceDiagram(svg: string): string {
  const styled = svg.replace(/<(?:rect|text|line|path)\b[^>]*>/g, (tag) => {
    const rule = ELEMENT_STYLES.find((r) => r.match.test(tag));
    return rule ? addStyle(tag, rule.style) : tag;
  });
  return styled.replace(
    /(<marker\b[^>]*\bid="[^"]*-(arrowhead|sequencenumber)"[^>]*>)([\s\S]*?)(<\/marker>)/g,
    (_m, open: string, kind: string, inner: string, close: string) => {
      const style = MARKER_STYLES[kind] as string;
      return `${open}${inner.replace(/<(?:path|circle)\b[^>]*>/g, (tag) => addStyle(tag, style))}${close}`;
    },
  );
}

export interface SvgRootOptions {
  /** Class for the `<svg>` element, e.g. to style it per theme. */
  className: string;
}

/**
 * Rewrites the root `<svg>` tag: `role="img"` (Mermaid's graphics-document role makes screen
 * readers walk every shape; the `<title>`/`<desc>` it points to are the accessible text), and no
 * inline width, so the page's CSS decides the size.
 */
export function finishSvgRoot(svg: string, options: SvgRootOptions): string {
  return svg.replace(/^<svg\b[^>]*>/, (tag) => {
    if (!/aria-labelledby="/.test(tag) || !/aria-describedby="/.test(tag)) {
      throw new DiagramHookError('The SVG has no accessible title and description: the diagram source needs accTitle and accDescr.');
    }
    return tag
      .replace(/\srole="[^"]*"/, '')
      .replace(/\saria-roledescription="[^"]*"/, '')
      .replace(/\swidth="[^"]*"/, '')
      .replace(/\sstyle="[^"]*"/, '')
      .replace(
        /^<svg\b/,
        `<svg role="img" class="${options.className}" style="fill: var(--diagram-text, #14161b); font-family: arial, 'Liberation Sans', sans-serif"`,
      );
  });
}

/** The diagram's natural size in CSS pixels, from its `viewBox`. */
export function svgSize(svg: string): { width: number; height: number } {
  const viewBox = /^<svg\b[^>]*\bviewBox="([^"]+)"/.exec(svg)?.[1];
  const [, , width, height] = (viewBox ?? '').split(/\s+/).map(Number);
  if (!width || !height) throw new DiagramHookError('The SVG has no viewBox to size it by.');
  return { width, height };
}
