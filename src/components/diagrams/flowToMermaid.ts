/**
 * Turns a flow definition from `content/flows/` into Mermaid sequence-diagram source.
 *
 * Pure and deterministic: the same flow always gives the same text, which is what the render
 * cache is keyed on. The diagram, the step list under it and the live tracer all read the same
 * flow, so they cannot disagree.
 */
import type { Flow, FlowStep } from '../../data/schemas.ts';
import { stepNumber } from '../../data/stepNumbers.ts';

/**
 * Mermaid reads `#`, `;`, `<` and `>` in labels as syntax (entity codes, statement breaks, HTML).
 * Its own entity codes (`#59;` …) print the characters literally.
 */
const MERMAID_ENTITIES: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;' };

export function escapeMermaidText(text: string): string {
  // One line per statement: a newline would end the message early.
  return text.replace(/\s*\n\s*/g, ' ').replace(/[#;<>]/g, (c) => MERMAID_ENTITIES[c] ?? c);
}

const ARROWS: Record<FlowStep['kind'], string> = {
  // Solid arrow for a request, dashed for its response; a local step is a message to itself.
  request: '->>',
  response: '-->>',
  local: '->>',
};

/** The accessible name of a flow's diagram (its SVG `<title>`). */
export function diagramTitle(flow: Flow): string {
  return `${flow.title}: sequence diagram`;
}

/**
 * The long text alternative (its SVG `<desc>`): the summary, then every message in order, so a
 * screen reader user gets the same information as a sighted one.
 */
export function diagramDescription(flow: Flow): string {
  const label = new Map(flow.participants.map((p) => [p.id, p.label]));
  const messages = flow.steps.map((step) => {
    const from = label.get(step.from) ?? step.from;
    const to = label.get(step.to) ?? step.to;
    const who = step.kind === 'local' ? `${from}, internally` : `${from} to ${to}`;
    return `${stepNumber(flow, step.id)}. ${who}: ${step.label}.`;
  });
  return `${flow.summary} ${messages.join(' ')}`;
}

export interface MermaidSourceOptions {
  /** Number the messages (1, 2, 3…) to match the numbered step list under the diagram. Default true. */
  autonumber?: boolean;
}

/** Mermaid `sequenceDiagram` source for a flow: participants in order, one message per step. */
export function flowToMermaid(flow: Flow, options: MermaidSourceOptions = {}): string {
  const lines = [
    'sequenceDiagram',
    `accTitle: ${escapeMermaidText(diagramTitle(flow))}`,
    `accDescr: ${escapeMermaidText(diagramDescription(flow))}`,
  ];
  if (options.autonumber ?? true) lines.push('autonumber');
  for (const participant of flow.participants) {
    lines.push(`participant ${participant.id} as ${escapeMermaidText(participant.label)}`);
  }
  for (const step of flow.steps) {
    lines.push(`${step.from}${ARROWS[step.kind]}${step.to}: ${escapeMermaidText(step.label)}`);
  }
  return `${lines.join('\n')}\n`;
}
