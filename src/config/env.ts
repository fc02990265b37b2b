/**
 * Node-only: loads `.env` (if present) into `process.env`, then resolves the lab configuration.
 * Variables already set in the environment win over the file.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CertificateCheckOptions, checkDaemonCertificateFiles } from './credentialFiles.ts';
import { ConfigError, type LabConfig, loadLabConfig } from './lab.ts';

export function loadEnvFile(path = resolve(process.cwd(), '.env')): void {
  if (!existsSync(path)) return;
  const fix = '.env must be a text file of NAME=value lines: remove it, or copy .env.example to .env.';
  const info = statSync(path);
  if (!info.isFile())
    throw new ConfigError([`${path} is ${info.isDirectory() ? 'a folder' : 'not a regular file'}, not a text file. ${fix}`]);
  try {
    process.loadEnvFile(path);
  } catch (error) {
    throw new ConfigError([`${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). ${fix}`]);
  }
}

export function labConfigFromEnv(): LabConfig {
  loadEnvFile();
  return loadLabConfig(process.env);
}

/**
 * `loadLabConfig` plus what only Node can check, for the servers: in real-tenant mode, that the
 * daemon's certificate files can sign (./credentialFiles.ts). Every problem comes in one
 * `ConfigError`, so a user fixes them all in one go.
 */
export function loadServerLabConfig(env: Record<string, string | undefined>, options: CertificateCheckOptions = {}): LabConfig {
  const problems: string[] = [];
  let config: LabConfig | undefined;
  try {
    config = loadLabConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const certificatePath = env.ENTRA_DAEMON_CERT_PATH?.trim();
  const privateKeyPath = env.ENTRA_DAEMON_KEY_PATH?.trim();
  if (env.LAB_MODE?.trim().toLowerCase() === 'real' && certificatePath && privateKeyPath) {
    problems.push(...checkDaemonCertificateFiles({ certificatePath, privateKeyPath }, options));
  }
  if (problems.length || !config) throw new ConfigError(problems);
  return config;
}

/** What `npm start` runs with: `.env` loaded, then `loadServerLabConfig`. */
export function serverLabConfigFromEnv(): LabConfig {
  loadEnvFile();
  return loadServerLabConfig(process.env);
}
