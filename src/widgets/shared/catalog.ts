/**
 * Build-time readers of the shared data in `content/`, trimmed to what a widget needs, so pages
 * ship only the fields the browser uses (habit: render from content/, never retype it).
 */
import { getCollection } from 'astro:content';
import type { ClaimReference } from '../token-decoder/decoderView.ts';
import type { CatalogEntry } from './errorCatalog.ts';

export async function claimReference(): Promise<ClaimReference[]> {
  const entries = await getCollection('claims');
  return entries.map(({ data }) => ({
    id: data.id,
    title: data.title,
    description: data.description,
    format: data.format,
    in: data.in,
    ...(data.validate ? { validate: data.validate } : {}),
  }));
}

/** Error-catalog entries for the given flow legs (e.g. the token endpoint for the daemon). */
export async function errorCatalog(legs: string[]): Promise<CatalogEntry[]> {
  const entries = await getCollection('errors');
  return entries
    .filter(({ data }) => legs.includes(data.leg))
    .map(({ data }) => ({ id: data.id, title: data.title, error: data.error, cause: data.cause, fix: data.fix }));
}
