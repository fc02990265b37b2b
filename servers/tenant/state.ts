/**
 * Where the tenant keeps what must survive a restart: its signing keys and the daemon's certificate
 * (the lab's certificate authority has its own folder, ../tls/certificateAuthority.ts). All under the git-ignored `.lab/` folder, never served.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Default state folder, relative to the repository root (where every npm script runs). */
export const DEFAULT_TENANT_STATE_DIR = join('.lab', 'tenant');

export interface TenantStatePaths {
  dir: string;
  signingKeys: string;
  daemonCertificate: string;
  daemonPrivateKey: string;
}

export function tenantStatePaths(dir = DEFAULT_TENANT_STATE_DIR): TenantStatePaths {
  return {
    dir,
    signingKeys: join(dir, 'signing-keys.json'),
    daemonCertificate: join(dir, 'daemon', 'certificate.pem'),
    daemonPrivateKey: join(dir, 'daemon', 'private-key.pem'),
  };
}

/** A file under `.lab/` that cannot be used: the message names the file, what is wrong and the fix. */
export class LabFileError extends Error {
  readonly path: string;
  constructor(path: string, problem: string, fix: string) {
    super(`${path} ${problem}. ${fix}`);
    this.name = 'LabFileError';
    this.path = path;
  }
}

/** Reads a file, or `undefined` when it does not exist yet; anything else is a `LabFileError`. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR')
      throw new LabFileError(path, 'is a folder, not a file', 'Delete it and run npm start again: the lab creates the file.');
    throw new LabFileError(
      path,
      `cannot be read (${code})`,
      'Check its permissions, or delete it and run npm start again: the lab recreates it.',
    );
  }
}

async function writeTemporary(path: string, content: string, mode: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode });
  return temporary;
}

/** Replaces a file through a rename, so a reader never sees it half written. Owner-only by default. */
export async function writeAtomically(path: string, content: string, mode = 0o600): Promise<void> {
  await rename(await writeTemporary(path, content, mode), path);
}

/**
 * Creates a file only if it does not exist yet, atomically; returns what the file holds afterwards.
 * Several lab processes (parallel test runs) may start at once: the first one's content wins and
 * the others adopt it, so they all sign with, and trust, the same key.
 */
export async function createExclusively(path: string, content: string, mode = 0o600): Promise<string> {
  const temporary = await writeTemporary(path, content, mode);
  try {
    await link(temporary, path);
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFile(path, 'utf8');
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/**
 * Creates a folder of files (a certificate and its private key) only if the folder does not exist
 * yet, by renaming a filled temporary folder into place; a process that loses the race keeps the
 * winner's files, so the pair always matches.
 */
export async function createFolderExclusively(dir: string, files: Record<string, string>): Promise<void> {
  const temporary = `${dir}.${randomBytes(6).toString('hex')}.tmp`;
  await mkdir(temporary, { recursive: true, mode: 0o700 });
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(temporary, name), content, { mode: 0o600 });
    await rename(temporary, dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}
