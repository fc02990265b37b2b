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

/** Offsets of the real-tenant rehearsal's ports from this run's, per suite, so the two suites never share one. */
const REHEARSAL_PORT_OFFSET = { integration: 10, e2e: 20 } as const;

/**
 * Ports of the real-tenant rehearsal (tests/integration/real-tenant.test.ts, tests/e2e/real-tenant.spec.ts):
 * a second tenant (`tenant`) and a lab in real-tenant mode (`site`, `api`) that run next to this
 * run's sandbox lab, derived from this run's ports (14321 → 14331 for the integration suite).
 */
export function rehearsalPorts(suite: keyof typeof REHEARSAL_PORT_OFFSET, env: NodeJS.ProcessEnv = process.env): Ports {
  useTestPorts(env);
  const ports = {} as Ports;
  for (const name of Object.keys(DEFAULT_PORTS) as PortName[]) ports[name] = Number(env[PORT_ENV[name]]) + REHEARSAL_PORT_OFFSET[suite];
  return ports;
}
