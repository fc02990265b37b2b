/**
 * Stepping through a recorded run, one leg at a time, as the live tracer lights a flow: which leg is
 * current, and the status of each diagram step (`seen` once a leg that carries it has played). Pure.
 */
export interface ReplayState {
  /** Index of the leg shown last; -1 before the first. */
  cursor: number;
  legSteps: string[][];
}

export const startReplay = (legSteps: string[][]): ReplayState => ({ cursor: -1, legSteps });

export const isFinished = (state: ReplayState): boolean => state.cursor >= state.legSteps.length - 1;

export function nextLeg(state: ReplayState): ReplayState {
  return isFinished(state) ? state : { ...state, cursor: state.cursor + 1 };
}

/** Diagram steps played so far, and those of the current leg (drawn bold, as the tracer does). */
export function litSteps(state: ReplayState): { seen: Set<string>; current: Set<string> } {
  const seen = new Set(state.legSteps.slice(0, state.cursor + 1).flat());
  return { seen, current: new Set(state.legSteps[state.cursor] ?? []) };
}
