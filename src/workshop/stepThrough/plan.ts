/**
 * The presenter's step-through of a flow, without a DOM: which beats there are (one key press
 * each, from `content/workshop/notes/{flow}.yaml`), which flow steps each lights, and where the
 * cursor is. `planProblems` checks the notes against the flow definition, so a renamed step in
 * `content/flows/` fails the build instead of lighting nothing on a projector.
 */
import type { Flow, WorkshopAction, WorkshopBeat, WorkshopNotes } from '../../data/schemas.ts';

/** The flow steps and notes the browser needs, as the page embeds them. */
export interface StepThroughPlan {
  flowId: string;
  title: string;
  minutes: number;
  opening: string[];
  closing: string[];
  steps: { id: string; label: string; explain: string }[];
  beats: WorkshopBeat[];
}

/** Which flow each action belongs to, and which action must have run before it. */
export const ACTIONS: Record<WorkshopAction, { flow: string; after?: WorkshopAction }> = {
  'pkce.create': { flow: 'auth-code-pkce' },
  authorize: { flow: 'auth-code-pkce', after: 'pkce.create' },
  'token.redeem': { flow: 'auth-code-pkce', after: 'authorize' },
  'api.call': { flow: 'auth-code-pkce', after: 'token.redeem' },
  'daemon.token': { flow: 'client-credentials' },
  'daemon.api-call': { flow: 'client-credentials', after: 'daemon.token' },
  'obo.call': { flow: 'on-behalf-of' },
  'obo.exchange': { flow: 'on-behalf-of', after: 'obo.call' },
  'obo.downstream': { flow: 'on-behalf-of', after: 'obo.exchange' },
  'webapp.sign-in': { flow: 'web-app' },
  'webapp.tokens': { flow: 'web-app', after: 'webapp.sign-in' },
  'webapp.page': { flow: 'web-app', after: 'webapp.sign-in' },
  'workload.token': { flow: 'workload-identity' },
  'workload.exchange': { flow: 'workload-identity', after: 'workload.token' },
  'workload.api-call': { flow: 'workload-identity', after: 'workload.exchange' },
};

/** Every way the notes and the flow disagree, in words; empty when they agree. */
export function planProblems(notes: WorkshopNotes, flow: Flow): string[] {
  const problems: string[] = [];
  const order = flow.steps.map((s) => s.id);
  const covered = notes.beats.flatMap((beat) => beat.steps);
  for (const id of covered) if (!order.includes(id)) problems.push(`step "${id}" is not a step of flow ${flow.id}`);
  for (const id of order) if (!covered.includes(id)) problems.push(`step "${id}" of flow ${flow.id} is in no beat`);
  const known = covered.filter((id) => order.includes(id));
  if (known.some((id, i) => i > 0 && order.indexOf(id) < order.indexOf(known[i - 1] as string))) {
    problems.push(`the beats do not follow the order of the steps in content/flows/${flow.id}.yaml`);
  }
  const ran = new Set<WorkshopAction>();
  for (const beat of notes.beats) {
    const action = ACTIONS[beat.action];
    if (action.flow !== flow.id) problems.push(`beat "${beat.id}": action ${beat.action} belongs to flow ${action.flow}`);
    if (action.after && !ran.has(action.after))
      problems.push(`beat "${beat.id}": action ${beat.action} needs ${action.after} in an earlier beat`);
    ran.add(beat.action);
  }
  return problems;
}

export function buildPlan(notes: WorkshopNotes, flow: Flow): StepThroughPlan {
  const problems = planProblems(notes, flow);
  if (problems.length) throw new Error(`content/workshop/notes/${notes.id}.yaml does not match the flow: ${problems.join('; ')}.`);
  return {
    flowId: flow.id,
    title: notes.title,
    minutes: notes.minutes,
    opening: notes.opening,
    closing: notes.closing,
    steps: flow.steps.map(({ id, label, explain }) => ({ id, label, explain })),
    beats: notes.beats,
  };
}

/**
 * How each step of the diagram looks after `shown` beats (0 = none yet): the steps of the last
 * beat shown are `current`, earlier ones `done`, later ones `ahead`.
 */
export function stepStates(plan: StepThroughPlan, shown: number): Map<string, 'done' | 'current' | 'ahead'> {
  const states = new Map<string, 'done' | 'current' | 'ahead'>();
  plan.beats.forEach((beat, i) => {
    const state = i < shown - 1 ? 'done' : i === shown - 1 ? 'current' : 'ahead';
    for (const step of beat.steps) states.set(step, state);
  });
  return states;
}

/** Moves the cursor: → shows one more beat, ← one fewer, Home none. Never leaves 0…beats. */
export function moveCursor(plan: StepThroughPlan, shown: number, move: 'next' | 'back' | 'start'): number {
  if (move === 'start') return 0;
  if (move === 'back') return Math.max(0, shown - 1);
  return Math.min(plan.beats.length, shown + 1);
}
