/**
 * `npm test` runs its own lab on ports of its own, so it never collides with an `npm start` that
 * a presenter left running. Each value can still be overridden from the environment.
 */
import { DEFAULT_PORTS, PORT_ENV, type PortName } from '../../src/config/sandbox.ts';

/** Offset from the default ports: 4321 → 14321, 4400 → 14400, 4500 → 14500. */
const TEST_PORT_OFFSET = 10000;

export function useTestPorts(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of Object.keys(DEFAULT_PORTS) as PortName[]) {
    env[PORT_ENV[name]] ||= String(DEFAULT_PORTS[name] + TEST_PORT_OFFSET);
  }
}
