/**
 * The claims of a GitHub Actions OIDC token, as GitHub documents them
 * (https://docs.github.com/en/actions/reference/security/oidc): the standard `iss`, `sub`, `aud`,
 * `jti`, `nbf`, `iat`, `exp`, and GitHub's own claims that describe the job (`repository`,
 * `environment`, `ref`, `job_workflow_ref`…). Pure: the issuer signs what this returns.
 *
 * The subject of a job that deploys to an environment is `repo:{owner}/{repo}:environment:{name}`;
 * on a branch without an environment it is `repo:{owner}/{repo}:ref:refs/heads/{branch}`.
 */
import { randomUUID } from 'node:crypto';
import { workloadIdentity } from '../../src/config/sandbox.ts';

export interface WorkloadTokenRequest {
  issuer: string;
  /** `aud`: what the job asked for (`core.getIDToken(audience)`); GitHub's default is the owner's URL. */
  audience: string;
  /** `sub`; by default the one GitHub builds for this job (the environment form). */
  subject?: string;
  /** Epoch seconds the token is issued at (default: now). */
  issuedAt?: number;
  /** Seconds from `iat` to `exp`. */
  lifetimeSeconds?: number;
}

/** How long the sandbox's tokens live: GitHub's are short-lived too, minutes rather than hours. */
export const WORKLOAD_TOKEN_LIFETIME_SECONDS = 5 * 60;

/** GitHub's default `aud` when a job does not name one: the URL of the repository owner. */
export function defaultAudience(repository: string = workloadIdentity.repository): string {
  return `https://github.com/${repository.split('/')[0]}`;
}

/** The subject GitHub puts in the token of a job that deploys to `environment`. */
export function environmentSubject(
  repository: string = workloadIdentity.repository,
  environment: string = workloadIdentity.environment,
): string {
  return `repo:${repository}:environment:${environment}`;
}

export function githubActionsClaims(request: WorkloadTokenRequest): Record<string, unknown> {
  const { repository, environment, workflowPath, ref } = workloadIdentity;
  const [owner] = repository.split('/');
  const iat = request.issuedAt ?? Math.floor(Date.now() / 1000);
  return {
    jti: randomUUID(),
    sub: request.subject ?? environmentSubject(),
    aud: request.audience,
    ref,
    sha: 'c0ffee5a4dbed1c6e0e53b4a7d5f3e2a9b8c7d6e',
    repository,
    repository_owner: owner,
    repository_visibility: 'private',
    environment,
    event_name: 'workflow_dispatch',
    ref_type: 'branch',
    workflow: 'Sync tasks',
    workflow_ref: `${repository}/${workflowPath}@${ref}`,
    job_workflow_ref: `${repository}/${workflowPath}@${ref}`,
    runner_environment: 'github-hosted',
    actor: 'octocat',
    run_id: '1',
    run_number: '1',
    run_attempt: '1',
    iss: request.issuer,
    nbf: iat,
    iat,
    exp: iat + (request.lifetimeSeconds ?? WORKLOAD_TOKEN_LIFETIME_SECONDS),
  };
}
