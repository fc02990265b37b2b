/**
 * One zod schema per kind of shared data in `content/`. Astro's content collections, the servers
 * and Vitest all parse the same files with these schemas, so a bad data file fails everywhere.
 */
import { z } from 'zod';

/**
 * Where a fact about Entra comes from: a Microsoft Learn page, an RFC or OpenID section, or the
 * Microsoft.IdentityModel source. Pages render it as "Source: Microsoft Learn, <title>".
 */
export const sourceSchema = z.object({
  /** With the section anchor where the page has one (`…/rfc6750#section-3.1`). */
  url: z.string().url(),
  /** The page title as its publisher prints it (`Access token claims reference`), or `RFC 6750 §3.1`. */
  title: z.string().min(3),
});
export type Source = z.infer<typeof sourceSchema>;

/**
 * For a statement no public source backs: `sandbox-only` (the sandbox's own behaviour, nothing to
 * cite) or `unverified` (Entra behaves this way in public reports, but Microsoft documents nothing).
 */
export const verificationSchema = z.object({
  status: z.enum(['sandbox-only', 'unverified']),
  /** Why there is no source, in a sentence a reader can act on. */
  why: z.string().min(10),
});
export type Verification = z.infer<typeof verificationSchema>;

/** Every fact carries its source, or says why it has none: an entry with neither fails the build. */
function requireProvenance(entry: { source?: unknown; verification?: unknown }, ctx: z.RefinementCtx) {
  if (entry.source === undefined && entry.verification === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['source'],
      message: 'needs a source ({ url, title }) or a verification ({ status: sandbox-only | unverified, why })',
    });
  }
}

/** Which leg of a flow an error or event belongs to. */
export const flowLeg = z.enum(['authorize', 'sign-in', 'consent', 'token', 'refresh', 'jwks', 'api', 'config']);

/** An entry of the error catalog: AADSTS codes from Entra, IDX/IDW reasons from the API side. */
export const errorEntrySchema = z
  .object({
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
    /** The Microsoft doc or spec section the behaviour comes from; required unless `verification` says why not. */
    source: sourceSchema.optional(),
    verification: verificationSchema.optional(),
    /** Set when the sandbox does not reproduce it; the text says what differs. */
    sandboxDiffers: z.string().optional(),
    /**
     * How the error reaches the caller: the token endpoint's JSON body, Entra's own error page (it never
     * redirects to an untrusted redirect_uri), `error` on the redirect URI, inline on the sign-in page,
     * or the API's RFC 6750 `WWW-Authenticate` answer.
     */
    delivery: z.enum(['json', 'error-page', 'redirect', 'sign-in-page', 'www-authenticate']).optional(),
    /** The spec section behind the behaviour, as readers cite it (`RFC 6749 §5.2`). */
    spec: z
      .string()
      .regex(/^(RFC \d{4}|OpenID Connect [A-Za-z ]+1\.0) §[\d.]+$/, 'spec must look like RFC 6749 §5.2')
      .optional(),
    /** Related catalog ids, shown as links. */
    seeAlso: z.array(z.string()).default([]),
  })
  .superRefine(requireProvenance);
export type ErrorEntry = z.infer<typeof errorEntrySchema>;

/** A claim of an ID token or access token. */
export const claimSchema = z
  .object({
    /** The claim name exactly as it appears in a token (`aud`, `scp`, `x5t#S256`). */
    id: z.string().min(1),
    title: z.string().min(2),
    description: z.string().min(10),
    /** Where it appears: header or payload of which tokens. */
    in: z.array(z.enum(['access-token', 'id-token', 'header', 'client-assertion'])).min(1),
    /** The part of the JWT it is explained under (a name used in both, like `nonce`, goes where readers meet it first). */
    part: z.enum(['header', 'payload']).default('payload'),
    /** Present in delegated (user) tokens, app-only tokens, both or neither. */
    delegated: z.boolean(),
    appOnly: z.boolean(),
    format: z.enum(['string', 'guid', 'url', 'unix-time', 'string-list', 'json', 'enum', 'boolean']),
    /** What a resource server should do with it. */
    validate: z.string().optional(),
    /** The Microsoft doc or spec section that defines it; required unless `verification` says why not. */
    source: sourceSchema.optional(),
    verification: verificationSchema.optional(),
    /** Token versions that carry it: v1.0 (sts.windows.net issuer) and/or v2.0. */
    versions: z
      .array(z.enum(['v1', 'v2']))
      .min(1)
      .default(['v1', 'v2']),
    /** When it is present, if not always (`with the profile scope`, `optional claim`…). */
    when: z.string().optional(),
    /**
     * What an API may do with it: check it before trusting the token (`validate`), decide access
     * (`authorize`), key stored data by it (`identify`), show it only (`display`), leave it alone
     * (`ignore`: opaque or internal), or nothing because the client checks it (`client`), or it is
     * only informative (`info`).
     */
    use: z.enum(['validate', 'authorize', 'identify', 'display', 'ignore', 'client', 'info']),
  })
  .superRefine(requireProvenance);
export type Claim = z.infer<typeof claimSchema>;

export const glossarySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  term: z.string().min(2),
  definition: z.string().min(10),
  seeAlso: z.array(z.string()).default([]),
  /** Other names readers meet for the same thing (`app registration`, `enterprise application`). */
  aka: z.array(z.string()).default([]),
  /** Where to read more: the Microsoft doc or the spec section. */
  source: z.string().url().optional(),
});
export type GlossaryEntry = z.infer<typeof glossarySchema>;

/**
 * The six steps of every protected API call, from the user or app signing in to the API's answer.
 * Each message of a flow belongs to one of them (`phase`), so the overview can link to the details.
 */
export const interactionPhase = z.enum(['authenticate', 'acquire-token', 'call-api', 'validate', 'authorize', 'respond']);

/** An endpoint of the Entra v2.0 token service (or of Microsoft Graph, for UserInfo). */
export const endpointSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(2),
  methods: z.array(z.enum(['GET', 'POST'])).min(1),
  /** Host of the public cloud, without scheme: `login.microsoftonline.com`. */
  host: z.string().regex(/^[a-z0-9.-]+$/),
  /** v2.0 path; `{tenant}` is a tenant ID, a verified domain, `common`, `organizations` or `consumers`. */
  path: z.string().startsWith('/'),
  /** The v1.0 equivalent, when there is one. */
  v1Path: z.string().startsWith('/').optional(),
  purpose: z.string().min(10),
  /** Ids of the flows in `content/flows/` that call it. */
  flows: z.array(z.string()).default([]),
  /** Whether the sandbox tenant serves it at the same path (`same`), differently, or not at all. */
  sandbox: z.enum(['same', 'differs', 'absent']),
  sandboxNote: z.string().optional(),
  spec: z.string().optional(),
  source: z.string().url(),
});
export type Endpoint = z.infer<typeof endpointSchema>;

/** A standard (RFC or OpenID specification) and the sections of it that matter to these flows. */
export const standardSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** How readers cite it: `RFC 6749`, `OpenID Connect Core 1.0`. */
  name: z.string().min(3),
  title: z.string().min(3),
  url: z.string().url(),
  summary: z.string().min(10),
  /** How Microsoft Entra ID follows it, or where it departs from it. */
  entra: z.string().min(10),
  /** The Microsoft docs each statement in `entra` comes from; at least one. */
  entraSources: z.array(sourceSchema).min(1),
  sections: z
    .array(z.object({ section: z.string().regex(/^§[\d.]+$/), title: z.string().min(2), why: z.string().min(10), url: z.string().url() }))
    .min(1),
});
export type Standard = z.infer<typeof standardSchema>;

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
  /** Which of the six steps (authenticate … respond) this message is part of. */
  phase: interactionPhase.optional(),
  /** Site path (and optional #anchor) of the page section that explains this message in depth. */
  docs: z
    .string()
    .regex(/^\/([a-z0-9-]+\/)*(#[a-z0-9-]+)?$/, 'docs must be a site path such as /guides/auth-code-pkce/#token-request')
    .optional(),
});

export const flowSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string(),
    summary: z.string().min(10),
    /** Site path of the guide that explains this flow; step anchors are `{docs}#{flow id}-{step id}`. */
    docs: z
      .string()
      .regex(/^\/([a-z0-9-]+\/)*$/, 'docs must be a site path such as /guides/auth-code-pkce/')
      .optional(),
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

// ---------------------------------------------------------------------------------------------
// Workshop mode (content/workshop/): speaker notes for the presenter's step-through, exercises
// and what each printable cheat sheet picks from the flows, claims and error catalog above.

const workshopSlug = z.string().regex(/^[a-z0-9-]+$/);
/** An id of the error catalog (`content/errors.yaml`). */
const catalogId = z.string().regex(/^(AADSTS\d{4,7}|IDX\d{5}|IDW\d{5})$/, 'must be an error catalog id such as AADSTS50011');

/**
 * What one press of → runs in the presenter's step-through: a real leg against the sandbox
 * (src/workshop/stepThrough/actions.ts), never a canned answer.
 */
export const workshopActionSchema = z.enum([
  'pkce.create',
  'authorize',
  'token.redeem',
  'api.call',
  'daemon.token',
  'daemon.api-call',
  'obo.call',
  'obo.exchange',
  'obo.downstream',
  // The confidential web app (src/workshop/stepThrough/webAppActions.ts).
  'webapp.sign-in',
  'webapp.tokens',
  'webapp.page',
  // Workload identity federation: the job's token from its issuer, the exchange at Entra, the API call.
  'workload.token',
  'workload.exchange',
  'workload.api-call',
]);
export type WorkshopAction = z.infer<typeof workshopActionSchema>;

/** One beat of a talk: one key press, the flow steps it lights, and what the presenter says. */
export const workshopBeatSchema = z.object({
  id: workshopSlug,
  title: z.string().min(3),
  action: workshopActionSchema,
  /** Step ids of the flow (content/flows/{flow}.yaml) this beat lights, in order. */
  steps: z.array(workshopSlug).min(1),
  /** Speaker notes: what to say, one paragraph each. Backticks mark protocol terms. */
  say: z.array(z.string().min(10)).min(1),
  /** What to point at on the projector. */
  show: z.string().min(10).optional(),
  /** A question for the room, and the answer to give. */
  ask: z.object({ question: z.string().min(10), answer: z.string().min(3) }).optional(),
  /** A mistake people make at this point, with its error catalog entry. */
  pitfall: z.object({ text: z.string().min(10), error: catalogId.optional() }).optional(),
});
export type WorkshopBeat = z.infer<typeof workshopBeatSchema>;

/** Speaker notes for one flow: `content/workshop/notes/{flow}.yaml`. */
export const workshopNotesSchema = z
  .object({
    /** The flow id (content/flows/{id}.yaml) these notes walk through. */
    id: workshopSlug,
    title: z.string().min(3),
    minutes: z.number().int().min(1).max(60),
    /** What to say before the first key press. */
    opening: z.array(z.string().min(10)).min(1),
    beats: z.array(workshopBeatSchema).min(1),
    /** What to say after the last beat. */
    closing: z.array(z.string().min(10)).min(1),
  })
  .superRefine((notes, ctx) => {
    const beats = new Set<string>();
    const steps = new Set<string>();
    notes.beats.forEach((beat, i) => {
      if (beats.has(beat.id)) ctx.addIssue({ code: 'custom', path: ['beats', i, 'id'], message: `duplicate beat id "${beat.id}"` });
      beats.add(beat.id);
      for (const step of beat.steps) {
        if (steps.has(step)) ctx.addIssue({ code: 'custom', path: ['beats', i, 'steps'], message: `step "${step}" is in two beats` });
        steps.add(step);
      }
    });
  });
export type WorkshopNotes = z.infer<typeof workshopNotesSchema>;

/** The checkers that verify an exercise from what the lab observed (servers/workshop/exerciseChecks.ts). */
export const workshopCheckSchema = z.enum(['api-403', 'fix-redirect-uri', 'roles-not-scp']);
export type WorkshopCheck = z.infer<typeof workshopCheckSchema>;

/** A guided challenge: `content/workshop/exercises.yaml`. Its id names the checker that verifies it. */
export const workshopExerciseSchema = z.object({
  id: workshopCheckSchema,
  title: z.string().min(5),
  minutes: z.number().int().min(1).max(30),
  goal: z.string().min(20),
  /** Site paths of the tools a learner may use (`/tools/client-credentials/`). */
  tools: z.array(z.string().regex(/^\/([a-z0-9-]+\/)*$/, 'tools must be site paths such as /tools/api-caller/')).default([]),
  /** Revealed one at a time, from a nudge to nearly the answer. */
  hints: z.array(z.string().min(10)).min(2),
  /** Shown once the checker passes: why it happened. */
  debrief: z.string().min(20),
  errors: z.array(catalogId).default([]),
  claims: z.array(z.string().min(1)).default([]),
  /** The facilitator's answer key (printed on /workshop/facilitator/, never on the exercise). */
  key: z.object({
    /** One way to solve it, step by step. */
    steps: z.array(z.string().min(10)).min(1),
    /** What to type into each of the check's questions. */
    answers: z.array(z.object({ question: z.string().min(5), answer: z.string().min(1) })).default([]),
    /** Where attendees get stuck, and what to say. */
    stuck: z.string().min(10),
  }),
});

/** What the printable one-page cheat sheet of a flow picks from the shared data: `content/workshop/cheat-sheets.yaml`. */
export const cheatSheetSchema = z.object({
  /** The flow id. */
  id: workshopSlug,
  /** One-line reminders printed under the diagram. */
  remember: z.array(z.string().min(10)).min(2).max(6),
  /** Claims of content/claims.yaml to print, most important first. */
  claims: z.array(z.string().min(1)).min(3).max(14),
  /** Error catalog entries to print, most common first. */
  errors: z.array(catalogId).min(2).max(8),
});
export type CheatSheet = z.infer<typeof cheatSheetSchema>;

/**
 * One part of a workshop agenda. A step-through (`notes`) or an exercise takes its minutes from its
 * own data (content/workshop/notes/, exercises.yaml), so the agendas and the talk cannot disagree;
 * the parts around them (intro, a guide on the projector, debrief, buffer) carry their own.
 */
export const workshopAgendaPartSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notes'), flow: workshopSlug }),
  z.object({ kind: z.literal('exercise'), exercise: workshopCheckSchema }),
  z.object({
    kind: z.enum(['intro', 'page', 'debrief', 'buffer']),
    title: z.string().min(3),
    /** A site path to open on the projector (`/guides/which-flow/`). */
    where: z
      .string()
      .regex(/^\/([a-z0-9-]+\/)*(#[a-z0-9-]+)?$/, 'where must be a site path such as /guides/which-flow/')
      .optional(),
    minutes: z.number().int().min(1).max(30),
    /** What to do in this part, in a sentence or two. */
    what: z.string().min(10),
  }),
]);
export type WorkshopAgendaPart = z.infer<typeof workshopAgendaPartSchema>;

/** A workshop of a given length: `content/workshop/agendas.yaml`. Its parts must add up to `minutes`. */
export const workshopAgendaSchema = z.object({
  id: workshopSlug,
  minutes: z.number().int().min(15).max(120),
  /** Who it suits, in a sentence. */
  fits: z.string().min(10),
  parts: z.array(workshopAgendaPartSchema).min(3),
});
export type WorkshopAgenda = z.infer<typeof workshopAgendaSchema>;
