/**
 * The workload issuer's signing key: one RSA key pair, created on first start into
 * `{tenant state}/workload-issuer/signing-key.json` (under the git-ignored `.lab/`, never served).
 * Its public half is the issuer's JWKS; Entra (here, the sandbox tenant) verifies tokens with it.
 */
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { createExclusively, readIfExists } from '../tenant/state.ts';

export interface WorkloadSigningKey {
  kid: string;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey & { kid: string; use: 'sig'; alg: 'RS256' };
}

export const workloadKeyPath = (tenantStateDir: string) => join(tenantStateDir, 'workload-issuer', 'signing-key.json');

async function newKeyFile(): Promise<string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateJwk = privateKey.export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: privateJwk.n as string, e: privateJwk.e as string });
  return `${JSON.stringify({ kid, privateJwk }, null, 2)}\n`;
}

/** Loads the key, creating it on first use (several processes starting at once adopt the first one's). */
export async function loadWorkloadSigningKey(tenantStateDir: string): Promise<WorkloadSigningKey> {
  const path = workloadKeyPath(tenantStateDir);
  const content = (await readIfExists(path)) ?? (await createExclusively(path, await newKeyFile()));
  const { kid, privateJwk } = JSON.parse(content) as { kid: string; privateJwk: JsonWebKey };
  return { kid, privateJwk, publicJwk: { kty: 'RSA', n: privateJwk.n, e: privateJwk.e, kid, use: 'sig', alg: 'RS256' } };
}
