/**
 * Vitest setup file: each test worker trusts the lab's certificate authority, as every lab process
 * does (servers/tls/trust.ts), so a test talks to the tenant's https authority like the lab's own
 * API and daemon, with no environment variable.
 */
import { trustLabCertificateAuthority } from '../../servers/tls/trust.ts';

await trustLabCertificateAuthority();
