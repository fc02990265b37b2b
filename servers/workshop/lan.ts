/**
 * Follow-along on a local network, opt-in: `npm start -- --lan` finds this machine's LAN address,
 * puts it in every URL the lab builds (`LAB_PUBLIC_HOST`, see src/config/lab.ts) and binds the
 * servers to all interfaces. The start-up banner then says, loudly, what that exposes.
 */
import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';
import type { LabConfig } from '../../src/config/lab.ts';
import { SANDBOX_PASSWORD, sandboxUsers } from '../../src/config/sandbox.ts';

/** The flag `npm start -- --lan` passes. */
export const LAN_FLAG = '--lan';

/** Private IPv4 ranges (RFC 1918), preferred over anything else a laptop may have (VPN, docker). */
const PRIVATE_IPV4 = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;

/** This machine's address on the local network: a private IPv4 address of a non-internal interface. */
export function lanAddress(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string | undefined {
  const candidates = Object.entries(interfaces)
    .filter(([name]) => !/^(docker|br-|veth|virbr|lo)/.test(name))
    .flatMap(([, list]) => list ?? [])
    .filter((info) => info.family === 'IPv4' && !info.internal)
    .map((info) => info.address);
  return candidates.find((address) => PRIVATE_IPV4.test(address)) ?? candidates[0];
}

/**
 * Applies `--lan` to an environment: `LAB_PUBLIC_HOST` becomes the LAN address unless one is set.
 * Returns the problem, in words, when there is no network to share the lab on.
 */
export function applyLanFlag(env: NodeJS.ProcessEnv, findAddress: () => string | undefined = lanAddress): string | undefined {
  if (env.LAB_PUBLIC_HOST?.trim()) return undefined;
  const address = findAddress();
  if (!address) {
    return `${LAN_FLAG}: this machine has no LAN address (no non-loopback IPv4 interface). Join the room's network, or set LAB_PUBLIC_HOST to the address attendees can reach.`;
  }
  env.LAB_PUBLIC_HOST = address;
  return undefined;
}

/** The warning printed at start when other machines can reach the lab. */
export function lanWarning(config: LabConfig): string[] {
  if (!config.network.lan) return [];
  const users = Object.values(sandboxUsers)
    .map((u) => u.preferredUsername)
    .join(', ');
  const title = ' WARNING: the lab is reachable from your local network (workshop follow-along) ';
  return [
    '',
    `  ┌${'─'.repeat(title.length)}┐`,
    `  │${title}│`,
    `  └${'─'.repeat(title.length)}┘`,
    `  Listening on ${config.network.listenHost}; attendees open ${config.siteOrigin}`,
    `  The sandbox's credentials are public on purpose (${users}, password "${SANDBOX_PASSWORD}",`,
    '  the daemon secret): anyone on this network can sign in, get tokens and call the API.',
    '  Use it only on a network you trust, never on public Wi-Fi, and stop the lab (Ctrl-C) after the session.',
    '  Each attendee gets their own browser session and tracer events; only this machine can reset the sandbox.',
    '  Attendees: http:// on a LAN address is not a "secure context", so browsers turn off Web Crypto there.',
    `  In Chrome or Edge, open chrome://flags/#unsafely-treat-insecure-origin-as-secure, add ${config.siteOrigin}, relaunch.`,
    '',
  ];
}
