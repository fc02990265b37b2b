/**
 * A path of this site as a link needs it: under the base path the site was built for (Astro's
 * `base`, e.g. `/entra-flows-lab/` on a GitHub Pages project site; `/` for the lab). Every link the
 * site builds outside Starlight's own (components, widgets, workshop pages) goes through here.
 */
export function sitePath(path: string, base: string = import.meta.env?.BASE_URL ?? '/'): string {
  if (!path.startsWith('/') || path.startsWith('//')) return path;
  const prefix = base.replace(/\/+$/, '');
  if (!prefix || path === prefix || path.startsWith(`${prefix}/`)) return path;
  return `${prefix}${path}`;
}
