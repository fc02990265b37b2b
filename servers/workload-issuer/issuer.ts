/**
 * The sandbox's workload issuer: a small OpenID Connect issuer that stands in for GitHub Actions'
 * (`https://token.actions.githubusercontent.com`). Like GitHub's, it publishes a discovery document
 * (`/.well-known/openid-configuration`) whose `jwks_uri` is `/.well-known/jwks`, and it signs each
 * job's token with RS256 (https://docs.github.com/en/actions/reference/security/oidc).
 *
 * It knows nothing about Entra: it signs what a job asks for (`audience`), and Entra decides
 * whether to trust it by the daemon's federated identity credential.
 */
import { importJWK, SignJWT } from 'jose';
import type { WorkloadIssuerEndpoints } from '../../src/config/lab.ts';
import { githubActionsClaims, WORKLOAD_TOKEN_LIFETIME_SECONDS } from './githubClaims.ts';
import type { WorkloadSigningKey } from './signingKey.ts';

export interface MintRequest {
  audience: string;
  subject?: string;
  /** Another `iss` than the issuer's own (a "pretend" token: a trailing slash, another issuer). */
  issuer?: string;
  /** Issue it as if long ago, so it has already expired. */
  expired?: boolean;
}

/** How far back an "expired" token is dated: past its `exp` by more than any clock skew a verifier allows. */
const EXPIRED_BY_SECONDS = 30 * 60;

export class WorkloadIssuer {
  readonly endpoints: WorkloadIssuerEndpoints;
  readonly key: WorkloadSigningKey;

  constructor(endpoints: WorkloadIssuerEndpoints, key: WorkloadSigningKey) {
    this.endpoints = endpoints;
    this.key = key;
  }

  get issuer(): string {
    return this.endpoints.issuer;
  }

  /** GitHub's discovery document has these fields (its `claims_supported` lists more). */
  discoveryDocument() {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/.well-known/jwks`,
      subject_types_supported: ['public', 'pairwise'],
      response_types_supported: ['id_token'],
      claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'sha', 'repository', 'environment', 'job_workflow_ref'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid'],
    };
  }

  jwks(): { keys: WorkloadSigningKey['publicJwk'][] } {
    return { keys: [this.key.publicJwk] };
  }

  async mint(request: MintRequest): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims = githubActionsClaims({
      issuer: request.issuer ?? this.issuer,
      audience: request.audience,
      subject: request.subject,
      issuedAt: request.expired ? now - EXPIRED_BY_SECONDS - WORKLOAD_TOKEN_LIFETIME_SECONDS : now,
    });
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.key.kid })
      .sign(await importJWK({ ...this.key.privateJwk, alg: 'RS256' } as Parameters<typeof importJWK>[0], 'RS256'));
  }
}
