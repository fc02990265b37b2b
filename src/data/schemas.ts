/**
 * One zod schema per kind of shared data in `content/`. Astro's content collections, the servers
 * and Vitest all parse the same files with these schemas, so a bad data file fails everywhere.
 */
import { z } from 'zod';

/** Which leg of a flow an error or event belongs to. */
export const flowLeg = z.enum(['authorize', 'sign-in', 'consent', 'token', 'refresh', 'jwks', 'api', 'config']);

/** An entry of the error catalog: AADSTS codes from Entra, IDX/IDW reasons from the API side. */
export const errorEntrySchema = z.object({
  /** `AADSTS50011`, `IDX10214`, `IDW10201`: the code exactly as it is printed. */
  id: z.string().regex(/^(AADSTS\d{4,7}|IDX\d{5}|IDW\d{5})$/, 'id must look like AADSTS50011, IDX10214 or IDW10201'),
  title: z.string().min(3),
  /** The OAuth 2.0 / RFC 6750 error code that goes with it (`invalid_grant`, `invalid_token`…). */
  error: z.string().regex(/^[a-z_]+$/, 'error must be an OAuth error code such as invalid_grant'),
  /** The message Entra (or Microsoft.IdentityModel) prints after the code. */
  message: z.string().min(10),
  leg: flowLeg,
  cause: z.string().min(10),
  fix: z.string().min(10),
  /** How to see it happen in the sandbox. */
  reproduce: z.string().min(10),
  /** HTTP status the endpoint answers with, when it answers (an error page for authorize). */
  status: z.number().int().min(200).max(599).optional(),
  /** Spec section or Microsoft doc the behaviour comes from. */
  source: z.string().url().optional(),
  /** Set when the sandbox does not reproduce it; the text says what differs. */
  sandboxDiffers: z.string().optional(),
});
export type ErrorEntry = z.infer<typeof errorEntrySchema>;

/** A claim of an ID token or access token. */
export const claimSchema = z.object({
  /** The claim name exactly as it appears in a token (`aud`, `scp`, `x5t#S256`). */
  id: z.string().min(1),
  title: z.string().min(2),
  description: z.string().min(10),
  /** Where it appears: header or payload of which tokens. */
  in: z.array(z.enum(['access-token', 'id-token', 'header', 'client-assertion'])).min(1),
  /** Present in delegated (user) tokens, app-only tokens, both or neither. */
  delegated: z.boolean(),
  appOnly: z.boolean(),
  format: z.enum(['string', 'guid', 'url', 'unix-time', 'string-list', 'json', 'enum']),
  /** What a resource server should do with it. */
  validate: z.string().optional(),
  source: z.string().url().optional(),
});
export type Claim = z.infer<typeof claimSchema>;

export const glossarySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  term: z.string().min(2),
  definition: z.string().min(10),
  seeAlso: z.array(z.string()).default([]),
});
export type GlossaryEntry = z.infer<typeof glossarySchema>;

/** One message in a flow: an HTTP request or response between two participants, or a local step. */
export const flowStepSchema = z.object({
  /** Stable id used by diagrams (message ids), the live tracer and tests. */
  id: z.string().regex(/^[a-z0-9-]+$/),
  from: z.string(),
  to: z.string(),
  label: z.string().min(1),
  /** `request`/`response` draw solid/dashed arrows; `local` is a self-message. */
  kind: z.enum(['request', 'response', 'local']),
  /** The tracer matches live protocol events to steps by this name. */
  event: z.string().optional(),
  explain: z.string().min(10),
});

export const flowSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string(),
    summary: z.string().min(10),
    participants: z.array(z.object({ id: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/), label: z.string() })).min(2),
    steps: z.array(flowStepSchema).min(1),
  })
  .superRefine((flow, ctx) => {
    const participants = new Set(flow.participants.map((p) => p.id));
    const ids = new Set<string>();
    flow.steps.forEach((step, i) => {
      for (const end of ['from', 'to'] as const) {
        if (!participants.has(step[end])) {
          ctx.addIssue({ code: 'custom', path: ['steps', i, end], message: `"${step[end]}" is not a participant of flow ${flow.id}` });
        }
      }
      if (ids.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id "${step.id}"` });
      ids.add(step.id);
    });
  });
export type Flow = z.infer<typeof flowSchema>;
export type FlowStep = z.infer<typeof flowStepSchema>;
