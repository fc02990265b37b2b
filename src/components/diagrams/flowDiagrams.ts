/**
 * The diagrams of every flow in `content/flows/`, rendered together the first time any page asks
 * for one: one browser, one batch, for the whole build.
 */
import type { Flow } from '../../data/schemas.ts';
import { flowToMermaid } from './flowToMermaid.ts';
import { renderMermaidBatch } from './renderMermaid.ts';
import { addStepHooks, finishSvgRoot, placeSelfMessageLabels, stripStyleElements, styleSequenceDiagram, svgSize } from './svgHooks.ts';

export interface FlowDiagram {
  flowId: string;
  /** Inline SVG, ready for the page: no `<style>`, no script, `role="img"`, one `data-step` per message. */
  svg: string;
  /** Natural size in CSS pixels. */
  width: number;
  height: number;
}

/** The SVG root id of a flow's diagram; unique on a page. */
export const diagramId = (flowId: string) => `flow-diagram-${flowId}`;

/** Everything done to Mermaid's SVG before it goes on a page. */
export function prepareFlowSvg(raw: string, flow: Flow): string {
  const stepIds = flow.steps.map((step) => step.id);
  const hooked = addStepHooks(placeSelfMessageLabels(stripStyleElements(raw)), stepIds);
  return finishSvgRoot(styleSequenceDiagram(hooked), { className: 'flow-diagram__svg' });
}

let pending: { signature: string; diagrams: Promise<Map<string, FlowDiagram>> } | undefined;

async function renderAll(flows: readonly Flow[]): Promise<Map<string, FlowDiagram>> {
  const raws = await renderMermaidBatch(flows.map((flow) => ({ id: diagramId(flow.id), source: flowToMermaid(flow) })));
  const result = new Map<string, FlowDiagram>();
  flows.forEach((flow, i) => {
    const svg = prepareFlowSvg(raws[i] as string, flow);
    result.set(flow.id, { flowId: flow.id, svg, ...svgSize(svg) });
  });
  return result;
}

/**
 * The rendered diagram of one flow. `flows` is the whole collection: rendering all of them at once
 * is what lets one browser serve the build. Repeated calls with the same flows reuse the result;
 * in `astro dev`, an edited flow changes the signature and triggers a fresh render.
 */
export async function getFlowDiagram(flowId: string, flows: readonly Flow[]): Promise<FlowDiagram> {
  const signature = JSON.stringify(flows);
  if (pending?.signature !== signature) pending = { signature, diagrams: renderAll(flows) };
  const diagram = (await pending.diagrams).get(flowId);
  if (!diagram) throw new Error(`No flow "${flowId}" in content/flows/. Known flows: ${flows.map((f) => f.id).join(', ')}.`);
  return diagram;
}
