/**
 * `<flow-tracer>`: the DOM side of the live flow tracer. Subscribes to this browser session's
 * protocol events (Server-Sent Events from the lab) and to legs widgets announce on the page,
 * feeds them to `traceState.ts`, then updates the timeline and the page's diagram of the flow.
 */
import type { PublicLabConfig } from '../../config/lab.ts';
import { BROWSER_LEG_EVENT, type BrowserLeg } from '../../flows/browserLegs.ts';
import { getLabSessionKey } from '../../flows/labSession.ts';
import { readLabConfig } from '../lab-config/readLabConfig.ts';
import { labCanRun } from '../no-lab/labNeeds.ts';
import { h, part } from '../shared/dom.ts';
import { readScriptJson } from '../shared/scriptJson.ts';
import { eventStreamUrl, fromBrowserLeg, fromProtocolEvent, parseProtocolEvent } from './events.ts';
import { applyEvent, createTrace, describeStatus, type FlowIds, type TraceInput, type TraceState, type TraceStep } from './traceState.ts';

/** Fired on the element after each change, for workshop mode and tests: `detail` is the trace. */
export const TRACE_EVENT = 'lab:trace';

const SOURCE_LABEL: Record<TraceInput['source'], string> = {
  browser: 'Browser',
  tenant: 'Tenant',
  api: 'API',
  daemon: 'Daemon',
  webapp: 'Web app (server)',
  'workload-issuer': 'Workload issuer',
};

function legView(leg: TraceInput): HTMLElement {
  const lines: (HTMLElement | string)[] = [];
  const http = leg.http ? `${leg.http.method} ${leg.http.path}${leg.http.status ? ` → ${leg.http.status}` : ''}` : undefined;
  lines.push(h('p', {}, h('strong', {}, `${SOURCE_LABEL[leg.source]}: `), leg.summary));
  if (http && !leg.summary.includes(leg.http?.path ?? '\u0000')) lines.push(h('p', {}, http));
  if (leg.error)
    lines.push(
      h('p', {}, h('strong', {}, 'Error: '), [leg.error.code, leg.error.error, leg.error.description].filter(Boolean).join(' · ')),
    );
  for (const message of [leg.request, leg.response]) {
    if (!message) continue;
    lines.push(h('p', {}, message.line));
    if (message.fields && Object.keys(message.fields).length) lines.push(h('pre', {}, JSON.stringify(message.fields, null, 2)));
  }
  if (leg.detail && Object.keys(leg.detail).length) lines.push(h('pre', {}, JSON.stringify(leg.detail, null, 2).slice(0, 4000)));
  return h('div', { class: 'lab-tracer__leg', 'data-source': leg.source }, ...lines);
}

export class FlowTracerElement extends HTMLElement {
  #config?: PublicLabConfig;
  #ids: FlowIds = { spaClientId: '', daemonClientId: '', webappClientId: '' };
  #flow?: { id: string; steps: TraceStep[] };
  #state?: TraceState;
  #source?: EventSource;
  #onLeg = (event: Event) => this.#apply(fromBrowserLeg((event as CustomEvent<BrowserLeg>).detail));

  get trace(): TraceState | undefined {
    return this.#state;
  }

  connectedCallback(): void {
    if (!this.dataset.ready) {
      this.dataset.ready = 'true';
      this.#flow = readScriptJson(this, 'data-tracer-flow');
      part(this, 'clear').addEventListener('click', () => this.clear());
    }
    if (!this.#flow) return;
    this.#state ??= createTrace({ id: this.#flow.id, steps: this.#flow.steps as never });
    document.addEventListener(BROWSER_LEG_EVENT, this.#onLeg);
    try {
      this.#config = readLabConfig();
    } catch (error) {
      this.#connection((error as Error).message, 'down');
      return;
    }
    this.#ids = {
      spaClientId: this.#config.ids.spaClientId,
      daemonClientId: this.#config.ids.daemonClientId,
      webappClientId: this.#config.ids.webappClientId,
    };
    part(this, 'mode-note').hidden = this.#config.mode !== 'real';
    // A static build has no lab and so no event stream: only legs this page starts are traced,
    // and until the reader names a tenant the <NoLab> card replays a recorded run instead.
    if (!labCanRun(this.#config, 'server')) {
      this.#connection('No lab behind this page: no event stream to trace from.', 'down');
      return;
    }
    this.#connect();
  }

  disconnectedCallback(): void {
    document.removeEventListener(BROWSER_LEG_EVENT, this.#onLeg);
    this.#source?.close();
    this.#source = undefined;
  }

  #connect(): void {
    const config = this.#config;
    if (!config || typeof EventSource === 'undefined') return;
    const url = eventStreamUrl(config, getLabSessionKey());
    const origin = new URL(url).origin;
    const source = new EventSource(url);
    this.#source = source;
    source.addEventListener('open', () =>
      this.#connection(`Connected: tracing this browser session’s legs (events from ${origin}).`, 'up'),
    );
    source.addEventListener('error', () => {
      // EventSource reconnects by itself (the server asks for 2 s); say what is wrong meanwhile.
      this.#connection(
        `No event stream from ${origin}: is the lab running (npm start)? Retrying… Legs this page starts are still traced from the browser.`,
        'down',
      );
    });
    source.addEventListener('protocol', (message) => {
      const event = parseProtocolEvent((message as MessageEvent<string>).data);
      if (event) this.#apply(fromProtocolEvent(event));
    });
  }

  #connection(text: string, state: 'up' | 'down'): void {
    const element = part(this, 'connection');
    element.textContent = text;
    element.dataset.state = state;
    this.dataset.connection = state;
  }

  clear(): void {
    if (!this.#flow) return;
    this.#state = createTrace({ id: this.#flow.id, steps: this.#flow.steps as never });
    this.#render(undefined);
  }

  /** Feeds one observation in (widgets may also call this directly). */
  record(input: TraceInput): void {
    this.#apply(input);
  }

  #apply(input: TraceInput): void {
    if (!this.#state) return;
    const result = applyEvent(this.#state, input, this.#ids);
    if (result.state === this.#state) return;
    this.#state = result.state;
    this.#render(result.stepId);
  }

  #diagrams(): Element[] {
    const flowId = this.#flow?.id ?? '';
    return [...document.querySelectorAll(`figure.flow-diagram[data-flow="${CSS.escape(flowId)}"]`)];
  }

  #render(changedStepId: string | undefined): void {
    const state = this.#state;
    if (!state) return;
    const active = state.cursor >= 0;
    state.steps.forEach((step, i) => {
      const status = state.status[i] ?? 'waiting';
      const li = this.querySelector<HTMLElement>(`li[data-step="${CSS.escape(step.id)}"]`);
      if (li) {
        li.dataset.status = status;
        li.toggleAttribute('data-current', i === state.cursor);
        const legs = state.legs[i] ?? [];
        const statusText = li.querySelector('[data-part="status"]');
        const details = li.querySelector<HTMLDetailsElement>('[data-part="legs"]');
        // The latest report in words, so a failed step says which call failed without expanding it.
        const latest = legs.at(-1);
        if (statusText) statusText.textContent = `${describeStatus(state, i)}${latest ? `: ${latest.summary}` : ''}`;
        if (details) details.hidden = legs.length === 0;
        li.querySelector('[data-part="leg-list"]')?.replaceChildren(...legs.map(legView));
      }
      for (const diagram of this.#diagrams()) {
        for (const group of diagram.querySelectorAll<SVGGElement>(`g.flow-step[data-step="${CSS.escape(step.id)}"]`)) {
          if (status === 'waiting') group.removeAttribute('data-trace');
          else group.setAttribute('data-trace', status);
          group.toggleAttribute('data-trace-current', i === state.cursor);
        }
      }
    });
    for (const diagram of this.#diagrams()) diagram.toggleAttribute('data-tracing', active);
    if (changedStepId) {
      const i = state.steps.findIndex((s) => s.id === changedStepId);
      part(this, 'announce').textContent = `Step ${i + 1}, ${state.steps[i]?.label}: ${describeStatus(state, i)}.`;
    } else {
      part(this, 'announce').textContent = 'Trace cleared.';
    }
    this.dataset.cursor = String(state.cursor);
    this.dispatchEvent(new CustomEvent(TRACE_EVENT, { detail: state, bubbles: true }));
  }
}
