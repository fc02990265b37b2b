/**
 * An accessible name for every code block that scrolls. Expressive Code's runtime gives a `pre` that
 * overflows `tabindex="0"` and `role="region"` (so a keyboard can scroll it) but no name, and a page
 * with two such blocks has two landmarks no one can tell apart (axe `landmark-unique`; a region needs
 * a label: WAI-ARIA 1.2, https://www.w3.org/TR/wai-aria-1.2/#region). This Expressive Code plugin writes each block's name at build
 * time as data (`data-region-label`: the frame's title, else the language and first meaningful line),
 * and its runtime sets `aria-label` only while the block has the role: a name on a `pre` without a
 * role is not allowed (ARIA in HTML: `pre` is generic). Names repeated on a page get " (2)", " (3)".
 * Wired in ec.config.mjs.
 */
import type { ExpressiveCodePlugin } from '@astrojs/starlight/expressive-code';

type HastNode = { type: string; tagName?: string; properties?: Record<string, unknown>; children?: HastNode[] };

const MAX_LINE = 60;

/** The name a block's region gets: `Code: <title>`, else `Code: <language>, <first meaningful line>`. */
export function codeBlockLabel(block: { title?: string; language: string; lines: string[] }): string {
  if (block.title?.trim()) return `Code: ${block.title.trim()}`;
  const line = block.lines.map((text) => text.replace(/\s+/g, ' ').trim()).find((text) => /[\p{L}\p{N}]/u.test(text)) ?? '';
  const short = line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1).trimEnd()}…` : line;
  return short ? `Code: ${block.language}, ${short}` : `Code: ${block.language}`;
}

function findPre(node: HastNode): HastNode | undefined {
  if (node.type === 'element' && node.tagName === 'pre') return node;
  for (const child of node.children ?? []) {
    const found = findPre(child);
    if (found) return found;
  }
  return undefined;
}

/**
 * Runs in the page beside Expressive Code's own script, which sets the role a moment after load:
 * names the block when it becomes a region (the first free name: `Code: sh, npm start`, then
 * `… (2)`), and drops the name when it stops being one. Hand-minified: every page with code loads it,
 * and reading pages stay within 5 % of a plain Starlight page's JavaScript.
 */
const RUNTIME =
  'new MutationObserver(m=>m.forEach(({target:p})=>{let b=p.dataset.regionLabel,l=b,i=1;if(b){if(p.role!="region")return p.removeAttribute("aria-label");for(;document.querySelector(\'[role=region][aria-label="\'+CSS.escape(l)+\'"]\');)l=b+" ("+ ++i+")";p.ariaLabel=l}})).observe(document,{subtree:!0,attributeFilter:["role"]});';

export function codeBlockNames(): ExpressiveCodePlugin {
  return {
    name: 'Code block names',
    jsModules: [RUNTIME],
    hooks: {
      postprocessRenderedBlock({ codeBlock, renderData }) {
        const pre = findPre(renderData.blockAst as HastNode);
        if (!pre) return;
        const title = typeof codeBlock.props.title === 'string' ? codeBlock.props.title : undefined;
        const lines = codeBlock.getLines().map((line) => line.text);
        pre.properties = { ...pre.properties, dataRegionLabel: codeBlockLabel({ title, language: codeBlock.language, lines }) };
      },
    },
  };
}
