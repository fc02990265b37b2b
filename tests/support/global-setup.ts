/**
 * Vitest global setup: starts the sandbox tenant and the sample API (not the site) once, on the
 * test ports, for every integration test, and stops them afterwards.
 */

import { backendServers, startServers } from '../../scripts/lib/lab-servers.ts';
import { loadLabConfig } from '../../src/config/lab.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const config = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
  const running = await startServers(backendServers, config);
  return async () => {
    await Promise.all(running.map((server) => server.close()));
  };
}
