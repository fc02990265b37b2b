/**
 * `npm run build:static -- --site https://<owner>.github.io --base /entra-flows-lab/ [--repository <url>]`:
 * builds the guides for a plain web host into `dist-static/`. No lab servers run, and the pages name
 * none: the config is the lab's "static" mode (src/config/lab.ts), where widgets replay recorded runs
 * until a reader names their own Entra tenant. `dist/` and `npm start` are left alone. The "run the lab
 * locally" link: `--repository`, else package.json's `repository`, else `git remote get-url origin`
 * (https addresses only, src/config/repositoryUrl.ts); with none, pages link no repository and this
 * script warns.
 * Deploying it: src/content/docs/guides/deploy-static.mdx.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadLabConfig, STATIC_SITE_OUT_DIR } from '../src/config/lab.ts';
import { chooseRepositoryUrl, packageRepository, type RepositoryCandidates, type RepositoryChoice } from '../src/config/repositoryUrl.ts';
import { staticWebAppConfig } from '../src/config/staticHostHeaders.ts';

const USAGE =
  'Usage: npm run build:static -- --site https://<owner>.github.io [--base /entra-flows-lab/] [--repository https://github.com/<owner>/entra-flows-lab]';

/** What this checkout says about where it is published: package.json's `repository`, and git's `origin`. */
export function checkoutRepository(): Omit<RepositoryCandidates, 'flag'> {
  let packageJson: string | undefined;
  try {
    packageJson = packageRepository(JSON.parse(readFileSync('package.json', 'utf8')));
  } catch {
    packageJson = undefined;
  }
  const git = spawnSync('git', ['remote', 'get-url', 'origin'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return { packageJson, gitOrigin: git.status === 0 ? git.stdout.trim() : undefined };
}

export const NO_REPOSITORY_WARNING =
  'build:static: no repository URL known (no --repository, and neither package.json "repository" nor `git remote get-url origin` is an https address).\n' +
  '  The pages will say "from your copy of the repository, run npm install && npm start" without a link.\n' +
  '  Pass --repository https://github.com/<owner>/entra-flows-lab to link the repository.';

/** A static build's environment, and where its repository URL came from (`checkout` is asked when no `--repository`). */
export function staticBuildPlan(
  argv: string[],
  env: NodeJS.ProcessEnv,
  checkout: () => Omit<RepositoryCandidates, 'flag'> = () => ({}),
): { env: NodeJS.ProcessEnv; repositoryFrom: RepositoryChoice['from'] } {
  const { values } = parseArgs({
    args: argv,
    options: { site: { type: 'string' }, base: { type: 'string' }, repository: { type: 'string' } },
    strict: true,
  });
  const flag = values.repository ?? env.LAB_REPOSITORY_URL;
  const repository = chooseRepositoryUrl(flag?.trim() ? { flag } : checkout());
  const buildEnv: NodeJS.ProcessEnv = {
    ...env,
    LAB_MODE: 'static',
    LAB_SITE_URL: values.site ?? env.LAB_SITE_URL ?? '',
    LAB_BASE_PATH: values.base ?? env.LAB_BASE_PATH ?? '/',
    LAB_SITE_OUT_DIR: STATIC_SITE_OUT_DIR,
    // A bad --repository stays as given, so the config names it as a problem with its fix.
    LAB_REPOSITORY_URL: repository.from === 'bad-flag' ? flag : repository.url,
  };
  loadLabConfig(buildEnv); // every bad value, each with its fix, before a minute of building
  return { env: buildEnv, repositoryFrom: repository.from };
}

export const staticBuildEnv = (argv: string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => staticBuildPlan(argv, env).env;

if (import.meta.main) {
  let plan: ReturnType<typeof staticBuildPlan>;
  try {
    plan = staticBuildPlan(process.argv.slice(2), process.env, checkoutRepository);
  } catch (error) {
    console.error(error instanceof ConfigError || error instanceof TypeError ? `${error.message}\n${USAGE}` : error);
    process.exit(2);
  }
  const { env, repositoryFrom } = plan;
  if (repositoryFrom === 'none') console.warn(`\n${NO_REPOSITORY_WARNING}\n`);
  else console.log(`Repository linked from the pages: ${env.LAB_REPOSITORY_URL}`);
  const astro = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
    stdio: 'inherit',
    env: { ...env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (astro.status === 0) {
    if (repositoryFrom === 'none') console.warn(`\n${NO_REPOSITORY_WARNING}`);
    // Azure Static Web Apps reads its headers from this file at the root of what it deploys; other hosts ignore it.
    const config = staticWebAppConfig(loadLabConfig(env));
    writeFileSync(join(STATIC_SITE_OUT_DIR, 'staticwebapp.config.json'), `${JSON.stringify(config, null, 2)}\n`);
    console.log(`\nStatic site in ${STATIC_SITE_OUT_DIR}/ for ${env.LAB_SITE_URL}${env.LAB_BASE_PATH}`);
  }
  process.exit(astro.status ?? 1);
}
