/**
 * The one place a flow step gets its number. The diagram numbers its messages 1, 2, 3… in the
 * order of `steps` in content/flows/{flow}.yaml (Mermaid's autonumber), so every list that names a
 * step — the step list under the diagram, the captured legs, the speaker notes, the cheat sheets —
 * asks here instead of counting for itself. tests/e2e/leg-numbers.spec.ts compares the numbers
 * on each flow page with the diagram's own.
 */
import type { Flow } from './schemas.ts';

/** The diagram's number of a step (1-based). Throws naming the flow when the step is not in it. */
export function stepNumber(flow: Pick<Flow, 'id' | 'steps'>, stepId: string): number {
  const index = flow.steps.findIndex((s) => s.id === stepId);
  if (index < 0) throw new Error(`Flow ${flow.id} has no step "${stepId}" (content/flows/${flow.id}.yaml).`);
  return index + 1;
}

export interface StepRange {
  first: number;
  last: number;
}

/** The span of diagram numbers a set of steps covers: `[token-request, token-response]` → 6–7. */
export function stepRange(flow: Pick<Flow, 'id' | 'steps'>, stepIds: readonly string[]): StepRange {
  if (stepIds.length === 0) throw new Error(`An empty list of steps of flow ${flow.id} has no number.`);
  const numbers = stepIds.map((id) => stepNumber(flow, id));
  return { first: Math.min(...numbers), last: Math.max(...numbers) };
}

/** "Step 2", "Steps 6–7": how a range is written on every page. */
export function rangeLabel({ first, last }: StepRange): string {
  return first === last ? `Step ${first}` : `Steps ${first}–${last}`;
}

/** A run of wire exchanges that together carry one span of the diagram (`Steps 3–4`). */
export interface LegGroup<Leg> extends StepRange {
  /** The exchanges, in the order they happened. */
  legs: Leg[];
}

/**
 * Groups captured exchanges (in the order they happened) into spans of the diagram that run in
 * order: an exchange that goes back to a step an earlier group already covers — the browser shows
 * the sign-in page (3), posts the password (4), then shows the consent page (3 again) — joins that
 * group instead of restarting the count. The groups' ranges then only ever go up: 2, 3–4, 5, 6–7.
 */
export function groupLegsByStep<Leg extends { steps: readonly string[] }>(
  flow: Pick<Flow, 'id' | 'steps'>,
  legs: readonly Leg[],
): LegGroup<Leg>[] {
  const groups: LegGroup<Leg>[] = [];
  for (const leg of legs) {
    const range = stepRange(flow, leg.steps);
    const open = groups.at(-1);
    if (open && range.first <= open.last) {
      open.first = Math.min(open.first, range.first);
      open.last = Math.max(open.last, range.last);
      open.legs.push(leg);
    } else groups.push({ ...range, legs: [leg] });
  }
  // A later exchange may reach back further than the group before it (a retry): fold until they run in order.
  for (let i = groups.length - 1; i > 0; i--) {
    const [before, after] = [groups[i - 1] as LegGroup<Leg>, groups[i] as LegGroup<Leg>];
    if (after.first <= before.last) {
      before.last = Math.max(before.last, after.last);
      before.first = Math.min(before.first, after.first);
      before.legs.push(...after.legs);
      groups.splice(i, 1);
    }
  }
  return groups;
}

/** The diagram's steps no exchange carries (inside the browser or the API): `[1]` for the click that starts a sign-in. */
export function stepsOffTheWire(flow: Pick<Flow, 'id' | 'steps'>, groups: readonly StepRange[]): number[] {
  return flow.steps.map((_, i) => i + 1).filter((n) => !groups.some((g) => n >= g.first && n <= g.last));
}

/** The anchor of a group of exchanges on its flow's guide page: `auth-code-pkce-wire-3`. */
export const wireAnchor = (flowId: string, group: StepRange) => `${flowId}-wire-${group.first}`;
