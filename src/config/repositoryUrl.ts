/**
 * Where a static build says the lab's source lives (the "run the lab locally" line). Never invented:
 * `--repository`, else package.json's `repository`, else `git remote get-url origin`, each taken only
 * when it is a plain https address. A URL with a user name or token in it is never published. Pure;
 * scripts/build-static.ts reads the candidates.
 */

/** The https address a reader can open, or `undefined`: `git+https://…/x.git` becomes `https://…/x`. */
export function publishableRepositoryUrl(raw: string): string | undefined {
  const text = raw.trim().replace(/^git\+/, '');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) return undefined;
  const path = url.pathname.replace(/\.git\/?$/, '').replace(/\/+$/, '');
  if (!path) return undefined;
  return `${url.origin}${path}`;
}

/** package.json's `repository`: a string or `{ type, url }` (npm's format). */
export function packageRepository(packageJson: { repository?: unknown }): string | undefined {
  const { repository } = packageJson;
  if (typeof repository === 'string') return repository;
  if (repository && typeof repository === 'object' && 'url' in repository && typeof repository.url === 'string') return repository.url;
  return undefined;
}

export interface RepositoryCandidates {
  /** `--repository` (or `LAB_REPOSITORY_URL`): the builder's word, so a bad one is an error, not skipped. */
  flag?: string;
  packageJson?: string;
  gitOrigin?: string;
}

export type RepositoryChoice =
  | { url: string; from: 'flag' | 'packageJson' | 'gitOrigin' }
  | { url: ''; from: 'none' }
  | { url: ''; from: 'bad-flag' };

export function chooseRepositoryUrl(candidates: RepositoryCandidates): RepositoryChoice {
  if (candidates.flag?.trim()) {
    const url = publishableRepositoryUrl(candidates.flag);
    return url ? { url, from: 'flag' } : { url: '', from: 'bad-flag' };
  }
  for (const from of ['packageJson', 'gitOrigin'] as const) {
    const url = candidates[from] ? publishableRepositoryUrl(candidates[from]) : undefined;
    if (url) return { url, from };
  }
  return { url: '', from: 'none' };
}
