/**
 * Workshop mode (`npm start -- --lan`): every attendee signs in as a user of their own, so nobody
 * shares a task list or a 50-task cap. A sign-in with any `name@{tenant domain}` and the sandbox
 * password creates that user on the spot, with an object ID that stays the same for that name.
 *
 * Sandbox-only: Entra answers an unknown account with AADSTS50034. Outside workshop mode the
 * sandbox does the same. The users live in memory; a restart forgets them (their object IDs, and so
 * their tasks' owner, come back the same when they sign in again).
 */
import { SANDBOX_PASSWORD } from '../../src/config/sandbox.ts';
import { type Directory, type DirectoryUser, stableGuid } from './directory.ts';

/** At most this many attendees per run, so a script on the network cannot grow the directory without end. */
export const MAX_ATTENDEES = 500;

const LOCAL_PART = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;

/** `grace.hopper` → `Grace Hopper`. */
function displayName(local: string): string {
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join(' ');
}

/**
 * The attendee a sign-in name stands for, created on first use; `undefined` when the name is not a
 * sign-in name of the sandbox's domain, or the room is full. The password is checked afterwards, as
 * for every user.
 */
export function attendeeFor(directory: Directory, username: string): DirectoryUser | undefined {
  const upn = username.trim().toLowerCase();
  const at = upn.lastIndexOf('@');
  const local = upn.slice(0, at);
  if (at < 1 || upn.slice(at + 1) !== directory.tenantDomain.toLowerCase() || !LOCAL_PART.test(local)) return undefined;
  if (directory.users.filter((user) => user.attendee).length >= MAX_ATTENDEES) return undefined;
  const user: DirectoryUser = {
    key: local,
    oid: stableGuid(directory.tenantId, 'attendee', upn),
    name: displayName(local),
    preferredUsername: upn,
    password: SANDBOX_PASSWORD,
    builtIn: false,
    attendee: true,
  };
  directory.users.push(user);
  return user;
}
