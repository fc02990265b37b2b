/**
 * The format of `content/captures/{flow}.json`: every HTTP leg of a flow as the sandbox really
 * answered it, masked. `scripts/capture-legs.ts` writes these files; the guide pages' diagram
 * components and the tests read them. The schema is the contract between the two.
 */
import { z } from 'zod';

const headers = z.record(z.string(), z.string());

export const capturedRequestSchema = z.object({
  method: z.string(),
  url: z.string(),
  headers,
  /** Form fields or a JSON body, as sent (masked). */
  body: z.record(z.string(), z.unknown()).optional(),
});
export type CapturedRequest = z.infer<typeof capturedRequestSchema>;

export const capturedResponseSchema = z.object({
  status: z.number().int().min(100).max(599),
  headers,
  /** A JSON body (masked), or a one-line summary of an HTML page. */
  body: z.unknown().optional(),
});
export type CapturedResponse = z.infer<typeof capturedResponseSchema>;

export const capturedLegSchema = z.object({
  /** Which messages of `content/flows/{flow}.yaml` this exchange carries. */
  steps: z.array(z.string()).min(1),
  title: z.string(),
  /** Legs that depend on earlier state (consent already given), left out of shape comparisons. */
  optional: z.boolean().optional(),
  request: capturedRequestSchema,
  response: capturedResponseSchema,
});
export type CapturedLeg = z.infer<typeof capturedLegSchema>;

export const decodedTokenSchema = z.object({
  header: z.record(z.string(), z.unknown()),
  claims: z.record(z.string(), z.unknown()),
});
export type DecodedToken = z.infer<typeof decodedTokenSchema>;

export const flowCaptureSchema = z.object({
  /** The flow id, as in `content/flows/{flow}.yaml`. */
  flow: z.string(),
  capturedBy: z.string(),
  legs: z.array(capturedLegSchema).min(1),
  /** Decoded (not verified) header and claims of the tokens the flow produced. */
  tokens: z.record(z.string(), decodedTokenSchema),
});
export type FlowCapture = z.infer<typeof flowCaptureSchema>;
