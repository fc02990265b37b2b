/**
 * `npm run tenant:rotate-keys [-- --grace <seconds>] [-- --retire]`
 *
 * Publishes a new signing key on the running sandbox tenant; the old key stays in the JWKS for the
 * grace period (default 24 h; 0 retires it at once). `--retire` ends every grace period now.
 * When no tenant is running, the key file in `.lab/tenant/` is rotated directly and the next
 * start uses it.
 */
import { request as httpRequest } from 'node:http';
import { parseArgs } from 'node:util';
import { labConfigFromEnv } from '../../src/config/env.ts';
import { ADMIN_HEADER } from './admin.ts';
import { DEFAULT_ROTATION_GRACE_SECONDS, SigningKeys } from './keys.ts';
import { tenantStatePaths } from './state.ts';

const { values } = parseArgs({
  options: { grace: { type: 'string' }, retire: { type: 'boolean', default: false }, 'state-dir': { type: 'string' } },
});
const grace = values.grace === undefined ? DEFAULT_ROTATION_GRACE_SECONDS : Number(values.grace);
if (!Number.isInteger(grace) || grace < 0) {
  console.error(`--grace must be a whole number of seconds (got "${values.grace}").`);
  process.exit(2);
}
const config = labConfigFromEnv();
if (config.mode !== 'sandbox') {
  console.error('Key rotation is for the sandbox tenant; LAB_MODE is "real", where Entra rotates its own keys.');
  process.exit(2);
}
const paths = tenantStatePaths(values['state-dir']);
const route = values.retire ? '/_sandbox/retire-keys' : `/_sandbox/rotate-keys?graceSeconds=${grace}`;
const url = new URL(route, config.tenantOrigin);

/** The administration routes answer on the tenant's plain-http origin, on loopback only (./admin.ts). */
function post(): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { [ADMIN_HEADER]: '1', Origin: config.tenantOrigin } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

try {
  const { status, body } = await post();
  if (status !== 200) {
    console.error(`The tenant at ${config.tenantOrigin} answered ${status}: ${body}`);
    process.exit(1);
  }
  console.log(`Rotated on the running tenant (${config.tenantOrigin}):\n${body}`);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw error;
  const keys = await SigningKeys.load(paths.signingKeys);
  const result = values.retire ? await keys.retireReplaced() : await keys.rotate(grace);
  console.log(
    `No tenant is running on ${config.tenantOrigin}; rotated ${paths.signingKeys} for its next start:\n${JSON.stringify(result, null, 2)}`,
  );
}
