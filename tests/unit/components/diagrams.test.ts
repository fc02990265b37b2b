/**
 * Flow definitions → Mermaid source → SVG with tracer hooks. The pure parts are tested on their
 * own; the last block renders the real flows with the real Mermaid in the system Chromium (or reads
 * the build cache) and checks what a page will inline.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getFlowDiagram } from '../../../src/components/diagrams/flowDiagrams.ts';
import { diagramDescription, escapeMermaidText, flowToMermaid } from '../../../src/components/diagrams/flowToMermaid.ts';
import {
  addStepHooks,
  DiagramHookError,
  finishSvgRoot,
  placeSelfMessageLabels,
  renameSvgId,
  stripStyleElements,
  styleSequenceDiagram,
} from '../../../src/components/diagrams/svgHooks.ts';
import { type Flow, flowSchema, interactionPhase } from '../../../src/data/schemas.ts';

const flows: Flow[] = readdirSync('content/flows')
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => flowSchema.parse(parse(readFileSync(`content/flows/${f}`, 'utf8'))));
const flow = (id: string) => flows.find((f) => f.id === id) as Flow;

const tiny: Flow = flowSchema.parse({
  id: 'tiny',
  title: 'Tiny; #1',
  summary: 'Two parties exchange one request and its response.',
  participants: [
    { id: 'A', label: 'App <A>' },
    { id: 'B', label: 'Server' },
  ],
  steps: [
    { id: 'ask', from: 'A', to: 'B', kind: 'request', label: 'GET /x?a=1;b=2 #frag', explain: 'The app asks the server for x.' },
    { id: 'think', from: 'B', to: 'B', kind: 'local', label: 'look it up', explain: 'The server works on its own.' },
    { id: 'answer', from: 'B', to: 'A', kind: 'response', label: '200 <x>', explain: 'The server answers with x.' },
  ],
});

describe('flowToMermaid: a flow definition as a Mermaid sequence diagram', () => {
  it('declares participants in order and draws requests solid, responses dashed, local steps as self-messages', () => {
    const lines = flowToMermaid(tiny).trim().split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    expect(lines).toContain('autonumber');
    expect(lines.filter((l) => l.startsWith('participant '))).toEqual(['participant A as App #lt;A#gt;', 'participant B as Server']);
    expect(lines.slice(-3)).toEqual(['A->>B: GET /x?a=1#59;b=2 #35;frag', 'B->>B: look it up', 'B-->>A: 200 #lt;x#gt;']);
  });

  it('gives the diagram an accessible title and a description that lists every message', () => {
    const source = flowToMermaid(tiny);
    expect(source).toContain('accTitle: Tiny#59; #35;1: sequence diagram');
    expect(diagramDescription(tiny)).toBe(
      'Two parties exchange one request and its response. 1. App <A> to Server: GET /x?a=1;b=2 #frag. 2. Server, internally: look it up. 3. Server to App <A>: 200 <x>.',
    );
    expect(source).toContain(`accDescr: ${escapeMermaidText(diagramDescription(tiny))}`);
  });

  it('keeps each statement on one line, whatever the label contains', () => {
    expect(escapeMermaidText('two\n  lines; <b>#')).toBe('two lines#59; #lt;b#gt;#35;');
    const withNewline = { ...tiny, steps: [{ ...tiny.steps[0], label: 'a\nb' }] } as Flow;
    expect(flowToMermaid(withNewline).trim().split('\n').at(-1)).toBe('A->>B: a b');
  });

  it('can leave out the step numbers', () => {
    expect(flowToMermaid(tiny, { autonumber: false })).not.toContain('autonumber');
  });
});

describe('content/flows: the definitions the pages, diagrams and tracer share', () => {
  it('has the two flows and the six-steps overview', () => {
    expect(flows.map((f) => f.id)).toEqual(expect.arrayContaining(['auth-code-pkce', 'client-credentials', 'six-steps']));
  });

  it('six-steps has exactly the six phases, in order, each linking to its explanation', () => {
    const overview = flow('six-steps');
    expect(overview.steps.map((s) => s.id)).toEqual(interactionPhase.options);
    expect(overview.steps.map((s) => s.phase)).toEqual(interactionPhase.options);
    for (const step of overview.steps) expect(step.docs, step.id).toMatch(/^\/guides\//);
  });

  it.each(['auth-code-pkce', 'client-credentials'])(
    'every message of %s belongs to one of the six steps, in order, covering all six',
    (id) => {
      const phases = flow(id).steps.map((s) => s.phase);
      expect(phases.every(Boolean)).toBe(true);
      const order = phases.map((p) => interactionPhase.options.indexOf(p as (typeof interactionPhase.options)[number]));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(new Set(phases)).toEqual(new Set(interactionPhase.options));
    },
  );

  it('keeps the step ids the tracer and tests rely on', () => {
    expect(flow('auth-code-pkce').steps.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        'sign-in-click',
        'authorize-request',
        'sign-in',
        'authorize-response',
        'token-request',
        'token-response',
        'api-call',
        'api-validate',
        'api-response',
      ]),
    );
    expect(flow('client-credentials').steps.map((s) => s.id)).toEqual(
      expect.arrayContaining(['token-request', 'token-response', 'api-call', 'api-validate', 'api-response']),
    );
  });

  it('RFC 6749 §4.4.3: Client Credentials issues no refresh token, and its diagram says so', () => {
    const response = flow('client-credentials').steps.find((s) => s.id === 'token-response');
    expect(response?.label).toMatch(/no refresh token/);
  });
});

describe('svgHooks on hand-written Mermaid-shaped SVG', () => {
  const svg = [
    '<svg id="r-0" width="100%" style="max-width: 300px;" viewBox="-8 -20 300 200" role="graphics-document document" aria-roledescription="sequence" aria-labelledby="chart-title-r-0" aria-describedby="chart-desc-r-0">',
    '<line id="actor0" x1="75" y1="65" x2="75" y2="382" data-et="life-line"/><line id="actor1" x1="275" y1="65" x2="275" y2="382" data-et="life-line"/>',
    '<marker id="r-0-arrowhead"/><marker id="r-10-x"/>',
    '<text x="174" y="80" text-anchor="middle" class="messageText">ask</text>',
    '<line x1="82" y1="109" x2="271" y2="109" class="messageLine0" data-et="message" data-id="i1" marker-end="url(#r-0-arrowhead)"/>',
    '<line x1="75" y1="109" x2="75" y2="109" stroke-width="0" marker-start="url(#r-0-sequencenumber)"/><text x="75" y="113" class="sequenceNumber">1</text>',
    '<text x="275" y="130" text-anchor="middle" class="messageText">look it</text><text x="275" y="150" text-anchor="middle" class="messageText">up</text>',
    '<path d="M 275,160 C 335,150 335,190 275,180" class="messageLine0" data-et="message" data-id="i2"/>',
    '</svg>',
  ].join('');

  it('renames the render id everywhere, but not a longer id that starts the same', () => {
    const renamed = renameSvgId(svg, 'r-0', 'flow-diagram-tiny-light');
    expect(renamed).toContain('id="flow-diagram-tiny-light"');
    expect(renamed).toContain('url(#flow-diagram-tiny-light-arrowhead)');
    expect(renamed).toContain('aria-labelledby="chart-title-flow-diagram-tiny-light"');
    expect(renamed).toContain('id="r-10-x"');
    expect(() => renameSvgId(svg, 'nope-0', 'x')).toThrow(DiagramHookError);
  });

  it('wraps each message, multi-line labels included, in a group with its step id', () => {
    const hooked = addStepHooks(svg, ['ask', 'think']);
    expect(hooked).toContain('<g class="flow-step" data-step="ask" data-step-index="1"><text data-step="ask"');
    expect(hooked).toMatch(/<line data-step="ask"[^>]*data-et="message"/);
    expect(hooked).toContain('class="sequenceNumber">1</text></g>');
    expect(hooked.match(/<text data-step="think"/g)).toHaveLength(2);
    expect(hooked).toMatch(/<path data-step="think"[^>]*data-et="message"/);
  });

  it('refuses an SVG whose messages do not match the flow steps one to one', () => {
    expect(() => addStepHooks(svg, ['ask'])).toThrow(/more messages/);
    expect(() => addStepHooks(svg, ['ask', 'think', 'answer'])).toThrow(/2 messages but the flow has 3 steps/);
  });

  it('moves a self-message label beside its lifeline instead of across it', () => {
    const placed = placeSelfMessageLabels(svg);
    expect(placed).toContain('<text x="259" y="130" text-anchor="end" class="messageText">look it</text>');
    expect(placed).toContain('<text x="174" y="80" text-anchor="middle" class="messageText">ask</text>');
  });

  it('styles arrows, labels, step numbers and arrowheads with theme variables, in style attributes', () => {
    const styled = styleSequenceDiagram(
      `${svg.replace('</svg>', '')}<marker id="r-0-arrowhead"><path d="M 0 0"/></marker><marker id="r-0-sequencenumber"><circle r="6"/></marker></svg>`,
    );
    expect(styled).toMatch(/<line style="stroke: var\(--diagram-line, #2b2f3a\); stroke-width: 2px; fill: none" x1="82"/);
    expect(styled).toMatch(/<text style="fill: var\(--diagram-text, #14161b\); stroke: none" x="174"/);
    expect(styled).toMatch(/<line style="stroke-width: 2px" x1="75" y1="109" x2="75" y2="109" stroke-width="0" marker-start=/);
    expect(styled).toMatch(
      /<text style="fill: var\(--diagram-number-text, #ffffff\); font-weight: 700" x="75" y="113" class="sequenceNumber"/,
    );
    expect(styled).toContain(
      '<marker id="r-0-arrowhead"><path style="fill: var(--diagram-line, #2b2f3a); stroke: var(--diagram-line, #2b2f3a)"',
    );
    expect(styled).toContain('<marker id="r-0-sequencenumber"><circle style="fill: var(--diagram-number-fill, #2b2f3a)"');
    // Mermaid's own inline declarations stay, ours come after them and win.
    expect(styleSequenceDiagram('<line class="messageLine1" style="stroke-dasharray: 3, 3; fill: none;"/>')).toBe(
      '<line class="messageLine1" style="stroke-dasharray: 3, 3; fill: none; stroke: var(--diagram-line, #2b2f3a); stroke-width: 2px; stroke-dasharray: 5 4; fill: none"/>',
    );
  });

  it("drops Mermaid's <style> element, which the site's CSP would block anyway", () => {
    expect(stripStyleElements('<svg><g/><style>#a{fill:red}</style></svg>')).toBe('<svg><g/></svg>');
  });

  it('makes the root an image named by its title and description, sized by CSS', () => {
    const root = /^<svg[^>]*>/.exec(finishSvgRoot(svg, { className: 'd' }))?.[0];
    expect(root).toContain('role="img"');
    expect(root).toContain('class="d"');
    expect(root).toMatch(/ style="fill: var\(--diagram-text, #14161b\)/);
    expect(root).not.toMatch(/aria-roledescription|\swidth=|max-width|graphics-document/);
    expect(() => finishSvgRoot('<svg viewBox="0 0 1 1"></svg>', { className: 'd' })).toThrow(/accTitle/);
  });
});

describe('the real flows rendered by Mermaid in the system Chromium', () => {
  it('inlines SVG with title, desc, role img, one data-step per flow step, and no script or <style> (blocked by the CSP)', {
    timeout: 60_000,
  }, async () => {
    for (const f of flows) {
      const { svg, width } = await getFlowDiagram(f.id, flows);
      expect(svg).toMatch(new RegExp(`^<svg role="img" class="flow-diagram__svg" style="[^"]*" id="flow-diagram-${f.id}"`));
      // Every arrow has its stroke in a style attribute (the CSP blocks the SVG's own stylesheet).
      for (const line of svg.match(/<(?:line|path)\b[^>]*data-et="message"[^>]*>/g) ?? [])
        expect(line).toMatch(/style="[^"]*stroke: var\(--diagram-line/);
      expect(svg).toContain(`<title id="chart-title-flow-diagram-${f.id}">${f.title}: sequence diagram</title>`);
      expect(svg).toMatch(/<desc id="chart-desc-[^"]+">[^<]{40,}<\/desc>/);
      expect(svg).not.toMatch(/<script|<style|\son[a-z]+=/i);
      const groups = [...svg.matchAll(/<g class="flow-step" data-step="([^"]+)"/g)].map((m) => m[1]);
      expect(groups).toEqual(f.steps.map((s) => s.id));
      expect(width).toBeGreaterThan(300);
    }
  });
});
