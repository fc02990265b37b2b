/**
 * `npm test` runs its own lab on ports of its own, so it never collides with an `npm start` that
 * a presenter left running. Each value can still be overridden from the environment.
 */
import { DEFAULT_PORTS, PORT_ENV, type PortName, type Ports } from '../../src/config/sandbox.ts';

/** Offset from the default ports: 4321 → 14321, 4400 → 14400, 4500 → 14500. */
const TEST_PORT_OFFSET = 10000;

export function useTestPorts(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of Object.keys(DEFAULT_PORTS) as PortName[]) {
    env[PORT_ENV[name]] ||= String(DEFAULT_PORTS[name] + TEST_PORT_OFFSET);
  }
}

/** Offsets from this run's ports of the labs that tests start beside it, so no two share a port. */
const BESIDE_PORT_OFFSET = { integration: 10, e2e: 20, install: 30 } as const;

/** This run's ports shifted by one suite's offset (14321 → 14331 for the integration suite). */
function portsBeside(suite: keyof typeof BESIDE_PORT_OFFSET, env: NodeJS.ProcessEnv): Ports {
  useTestPorts(env);
  const ports = {} as Ports;
  for (const name of Object.keys(DEFAULT_PORTS) as PortName[]) ports[name] = Number(env[PORT_ENV[name]]) + BESIDE_PORT_OFFSET[suite];
  return ports;
}

/**
 * Ports of the real-tenant rehearsal (tests/integration/real-tenant.test.ts, tests/e2e/real-tenant.spec.ts):
 * a second tenant (`tenant`) and a lab in real-tenant mode (`site`, `api`) that run next to this
 * run's sandbox lab.
 */
export function rehearsalPorts(suite: 'integration' | 'e2e', env: NodeJS.ProcessEnv = process.env): Ports {
  return portsBeside(suite, env);
}

/** Ports of the lab that tests/install/ installs from a fresh clone and starts with `npm start`. */
export function freshClonePorts(env: NodeJS.ProcessEnv = process.env): Ports {
  return portsBeside('install', env);
}
