/**
 * The static build's "run the lab locally" link: `--repository`, else package.json, else git's
 * origin, https only, never a URL with credentials, and no link at all (with a warning) when none is
 * known, rather than an invented one.
 */
import { describe, expect, it } from 'vitest';
import { NO_REPOSITORY_WARNING, staticBuildPlan } from '../../../scripts/build-static.ts';
import { chooseRepositoryUrl, packageRepository, publishableRepositoryUrl } from '../../../src/config/repositoryUrl.ts';

const SITE = ['--site', 'https://owner.github.io'];

describe('publishableRepositoryUrl', () => {
  it('keeps an https address, in the form a reader opens', () => {
    expect(publishableRepositoryUrl('https://github.com/me/lab')).toBe('https://github.com/me/lab');
    expect(publishableRepositoryUrl('https://github.com/me/lab.git')).toBe('https://github.com/me/lab');
    expect(publishableRepositoryUrl('git+https://github.com/me/lab.git')).toBe('https://github.com/me/lab');
    expect(publishableRepositoryUrl('https://dev.azure.com/org/project/_git/lab/')).toBe('https://dev.azure.com/org/project/_git/lab');
  });

  it('refuses what is not a public https address: ssh, a local path, a host alone, a URL with a token', () => {
    expect(publishableRepositoryUrl('git@github.com:me/lab.git')).toBeUndefined();
    expect(publishableRepositoryUrl('ssh://git@github.com/me/lab.git')).toBeUndefined();
    expect(publishableRepositoryUrl('/work/main')).toBeUndefined();
    expect(publishableRepositoryUrl('http://github.com/me/lab')).toBeUndefined();
    expect(publishableRepositoryUrl('https://github.com')).toBeUndefined();
    expect(publishableRepositoryUrl('https://x-access-token:ghs_secret@github.com/me/lab.git')).toBeUndefined();
  });

  it('reads package.json’s repository as a string or as npm’s { type, url }', () => {
    expect(packageRepository({ repository: 'https://github.com/me/lab' })).toBe('https://github.com/me/lab');
    expect(packageRepository({ repository: { type: 'git', url: 'git+https://github.com/me/lab.git' } })).toBe(
      'git+https://github.com/me/lab.git',
    );
    expect(packageRepository({})).toBeUndefined();
  });
});

describe('chooseRepositoryUrl', () => {
  it('prefers --repository, then package.json, then git’s origin, skipping what is not https', () => {
    const all = { flag: 'https://github.com/a/lab', packageJson: 'https://github.com/b/lab', gitOrigin: 'https://github.com/c/lab' };
    expect(chooseRepositoryUrl(all)).toEqual({ url: 'https://github.com/a/lab', from: 'flag' });
    expect(chooseRepositoryUrl({ ...all, flag: undefined })).toEqual({ url: 'https://github.com/b/lab', from: 'packageJson' });
    expect(chooseRepositoryUrl({ packageJson: 'git@github.com:b/lab.git', gitOrigin: 'https://github.com/c/lab.git' })).toEqual({
      url: 'https://github.com/c/lab',
      from: 'gitOrigin',
    });
  });

  it('knows none rather than inventing one', () => {
    expect(chooseRepositoryUrl({})).toEqual({ url: '', from: 'none' });
    expect(chooseRepositoryUrl({ gitOrigin: '/work/main' })).toEqual({ url: '', from: 'none' });
  });
});

describe('npm run build:static', () => {
  it('passes --repository on to the pages, without asking the checkout', () => {
    const plan = staticBuildPlan([...SITE, '--repository', 'https://github.com/me/lab/'], {}, () => {
      throw new Error('the checkout is not asked when --repository is given');
    });
    expect(plan).toMatchObject({ repositoryFrom: 'flag', env: { LAB_REPOSITORY_URL: 'https://github.com/me/lab' } });
  });

  it('falls back to the checkout’s https origin', () => {
    const plan = staticBuildPlan(SITE, {}, () => ({ gitOrigin: 'https://github.com/me/lab.git' }));
    expect(plan).toMatchObject({ repositoryFrom: 'gitOrigin', env: { LAB_REPOSITORY_URL: 'https://github.com/me/lab' } });
  });

  it('links no repository when none is known, and its warning names the flag', () => {
    const plan = staticBuildPlan(SITE, {}, () => ({ gitOrigin: 'git@github.com:me/lab.git' }));
    expect(plan).toMatchObject({ repositoryFrom: 'none', env: { LAB_REPOSITORY_URL: '' } });
    expect(NO_REPOSITORY_WARNING).toMatch(/--repository https:\/\/github\.com\/<owner>\/entra-flows-lab/);
  });

  it('refuses a --repository that is not an https address, naming the fix and not echoing a token', () => {
    expect(() => staticBuildPlan([...SITE, '--repository', 'git@github.com:me/lab.git'], {})).toThrow(
      /LAB_REPOSITORY_URL="…" is not a repository URL\. Use its https address/,
    );
    expect(() => staticBuildPlan([...SITE, '--repository', 'https://user:tok@github.com/me/lab'], {})).toThrow(/^(?![\s\S]*tok@)/);
  });
});
