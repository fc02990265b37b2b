/**
 * What a flow's printable cheat sheet shows, picked from the shared data: the flow's steps
 * (content/flows/), the claims (content/claims.yaml) and the errors (content/errors.yaml) listed
 * in content/workshop/cheat-sheets.yaml. Pure, so a missing id fails the build with its name and a
 * unit test, instead of printing an empty row.
 */
import type { CheatSheet, Claim, ErrorEntry, Flow } from '../../data/schemas.ts';
import { stepNumber } from '../../data/stepNumbers.ts';

export interface CheatSheetView {
  flow: Flow;
  remember: string[];
  steps: { n: number; who: string; label: string }[];
  claims: { id: string; title: string; meaning: string; check?: string }[];
  errors: { id: string; title: string; error: string; fix: string }[];
}

const SENTENCE = /^(.+?[.!?])(?:\s+|$)/s;

/**
 * The first sentence of a catalog text (a one-page sheet has room for one), or the first two when
 * the first is too short to say much on its own ("Two different things share this name.").
 */
export function firstSentence(text: string, short = 45): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const first = SENTENCE.exec(clean);
  if (!first) return clean;
  if (first[1] && first[1].length >= short) return first[1];
  const second = SENTENCE.exec(clean.slice(first[0].length));
  return second?.[1] ? `${first[1]} ${second[1]}` : (first[1] ?? clean);
}

export function cheatSheetView(sheet: CheatSheet, flows: Flow[], claims: Claim[], errors: ErrorEntry[]): CheatSheetView {
  const flow = flows.find((f) => f.id === sheet.id);
  const problems: string[] = [];
  if (!flow) problems.push(`there is no content/flows/${sheet.id}.yaml`);
  const pickedClaims = sheet.claims.map((id) => {
    const claim = claims.find((c) => c.id === id);
    if (!claim) problems.push(`claim "${id}" is not in content/claims.yaml`);
    return claim;
  });
  const pickedErrors = sheet.errors.map((id) => {
    const entry = errors.find((e) => e.id === id);
    if (!entry) problems.push(`error "${id}" is not in content/errors.yaml`);
    return entry;
  });
  if (problems.length || !flow) throw new Error(`content/workshop/cheat-sheets.yaml (${sheet.id}): ${problems.join('; ')}.`);
  const label = new Map(flow.participants.map((p) => [p.id, p.label]));
  return {
    flow,
    remember: sheet.remember,
    steps: flow.steps.map((step) => ({
      n: stepNumber(flow, step.id),
      who: step.from === step.to ? `${label.get(step.from)}` : `${label.get(step.from)} → ${label.get(step.to)}`,
      label: step.label,
    })),
    claims: pickedClaims.map((claim) => {
      const c = claim as Claim;
      return {
        id: c.id,
        title: c.title,
        meaning: firstSentence(c.description),
        ...(c.validate ? { check: firstSentence(c.validate) } : {}),
      };
    }),
    errors: pickedErrors.map((entry) => {
      const e = entry as ErrorEntry;
      return { id: e.id, title: e.title, error: e.error, fix: firstSentence(e.fix) };
    }),
  };
}
