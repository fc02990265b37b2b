/**
 * Node-only: loads `.env` (if present) into `process.env`, then resolves the lab configuration.
 * Variables already set in the environment win over the file.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type LabConfig, loadLabConfig } from './lab.ts';

export function loadEnvFile(path = resolve(process.cwd(), '.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

export function labConfigFromEnv(): LabConfig {
  loadEnvFile();
  return loadLabConfig(process.env);
}
