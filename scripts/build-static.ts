/**
 * `npm run build:static -- --site https://<owner>.github.io --base /entra-flows-lab/ [--repository <url>]`:
 * builds the guides for a plain web host into `dist-static/`. No lab servers run, and the pages name
 * none: the config is the lab's "static" mode (src/config/lab.ts), where widgets replay recorded runs
 * until a reader names their own Entra tenant. `dist/` and `npm start` are left alone.
 * Deploying it: src/content/docs/guides/deploy-static.mdx.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadLabConfig, STATIC_SITE_OUT_DIR } from '../src/config/lab.ts';
import { staticWebAppConfig } from '../src/config/staticHostHeaders.ts';

const USAGE =
  'Usage: npm run build:static -- --site https://<owner>.github.io [--base /entra-flows-lab/] [--repository https://github.com/<owner>/entra-flows-lab]';

export function staticBuildEnv(argv: string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { values } = parseArgs({
    args: argv,
    options: { site: { type: 'string' }, base: { type: 'string' }, repository: { type: 'string' } },
    strict: true,
  });
  const buildEnv: NodeJS.ProcessEnv = {
    ...env,
    LAB_MODE: 'static',
    LAB_SITE_URL: values.site ?? env.LAB_SITE_URL ?? '',
    LAB_BASE_PATH: values.base ?? env.LAB_BASE_PATH ?? '/',
    LAB_SITE_OUT_DIR: STATIC_SITE_OUT_DIR,
    ...(values.repository ? { LAB_REPOSITORY_URL: values.repository } : {}),
  };
  loadLabConfig(buildEnv); // every bad value, each with its fix, before a minute of building
  return buildEnv;
}

if (import.meta.main) {
  let env: NodeJS.ProcessEnv;
  try {
    env = staticBuildEnv(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(error instanceof ConfigError || error instanceof TypeError ? `${error.message}\n${USAGE}` : error);
    process.exit(2);
  }
  const astro = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
    stdio: 'inherit',
    env: { ...env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (astro.status === 0) {
    // Azure Static Web Apps reads its headers from this file at the root of what it deploys; other hosts ignore it.
    const config = staticWebAppConfig(loadLabConfig(env));
    writeFileSync(join(STATIC_SITE_OUT_DIR, 'staticwebapp.config.json'), `${JSON.stringify(config, null, 2)}\n`);
    console.log(`\nStatic site in ${STATIC_SITE_OUT_DIR}/ for ${env.LAB_SITE_URL}${env.LAB_BASE_PATH}`);
  }
  process.exit(astro.status ?? 1);
}
