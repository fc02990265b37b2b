/**
 * What a widget needs behind the page to run live, and whether the config has it. On the lab
 * (`npm start`) everything is there. A static build (`npm run build:static`) has no servers: widgets
 * that talk to a tenant run once the reader names their own Entra tenant on the settings page
 * (the browser alone is enough); widgets that need the sample API or the daemon never run there.
 */
import type { PublicLabConfig } from '../../config/lab.ts';

/** `tenant`: an authorization server the browser can reach. `server`: the lab's API or daemon too. */
export type LabNeed = 'tenant' | 'server';

export function labCanRun(config: PublicLabConfig | undefined, needs: LabNeed): boolean {
  if (!config || config.mode === 'static') return false;
  return needs === 'tenant' || config.apiOrigin !== '';
}
