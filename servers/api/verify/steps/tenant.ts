/**
 * Step `tenant`: Entra's multi-tenant rule, `tid` is a GUID, appears in `iss`, matches the signing
 * key's issuer and is an allowed tenant. One of the steps ../pipeline.ts runs in order.
 */
import { isGuid } from '../../../../src/config/lab.ts';
import type { Claims, Comparison, StepReport } from '../../../../src/contracts/tokenValidation.ts';
import type { Verifier } from '../policy.ts';
import { type Context, fail, pass, problem, show } from '../reports.ts';

/** Entra's multi-tenant rule: `tid` is a GUID, appears in `iss`, matches the key's issuer, and is allowed. */
export function checkTenant(ctx: Context, verifier: Verifier): StepReport {
  const { tid, iss } = ctx.claims as Claims;
  const { allowedTenantIds } = verifier.policy;
  const present: Comparison = { what: 'tid', actual: tid, expected: 'a tenant GUID', ok: typeof tid === 'string' && isGuid(tid) };
  if (!present.ok) {
    const p = problem(verifier, 'tenant', 'IDX40003', {}, { claim: 'tid' });
    return fail(p, 'The token has no tid (tenant ID).', [present]);
  }
  const tenantId = tid as string;
  const inIssuer: Comparison = {
    what: 'tid in iss',
    actual: iss,
    expected: `contains ${tenantId}`,
    ok: typeof iss === 'string' && iss.includes(tenantId),
  };
  if (!inIssuer.ok) {
    const p = problem(verifier, 'tenant', 'IDX40004', { iss: show(iss), tid: tenantId }, { claim: 'tid' });
    return fail(p, 'tid and iss name different tenants.', [present, inIssuer]);
  }
  const checks = [present, inIssuer];
  // Entra publishes an `issuer` on each JWKS key; a key may only sign for that issuer ({tenantid} = the token's tid).
  const keyIssuer = ctx.key?.issuer;
  if (keyIssuer !== undefined) {
    const effective = keyIssuer.replace('{tenantid}', tenantId);
    const keyCheck: Comparison = { what: 'signing key issuer', actual: effective, expected: iss, ok: effective === iss };
    checks.push(keyCheck);
    if (!keyCheck.ok) {
      const p = problem(verifier, 'tenant', 'IDX40005', { iss: show(iss), key_issuer: effective }, { claim: 'iss' });
      return fail(p, 'The key that signed the token may not sign for this issuer.', checks);
    }
  }
  const allowed: Comparison = {
    what: 'tid allow-list',
    actual: tenantId,
    expected: allowedTenantIds,
    ok: allowedTenantIds.includes(tenantId.toLowerCase()),
  };
  checks.push(allowed);
  if (!allowed.ok) {
    const p = problem(
      verifier,
      'tenant',
      'IDX40001',
      { iss: show(iss) },
      { claim: 'tid', hint: `Tenant ${tenantId} is not in LAB_API_ALLOWED_TENANTS.` },
    );
    return fail(p, `Tenant ${tenantId} is not one this API serves.`, checks);
  }
  return pass('tenant', `Tenant ${tenantId} is allowed.`, checks);
}
