/**
 * `<SourceRegion>` shows `// #region name` … `// #endregion` of a real file on a page; these tests
 * pin down how a region is cut out (the VS Code convention), and that a bad name fails the build
 * with a useful message instead of showing the wrong code.
 */
import { describe, expect, it } from 'vitest';
import { extractFunction, extractRegion, listRegions, SourceRegionError } from '../../../src/components/extractRegion.ts';

const source = [
  "import { jwtVerify } from 'jose';", // 1
  '', // 2
  'export async function verify(token: string) {', // 3
  '  // #region verify', // 4
  '', // 5
  '  const { payload } = await jwtVerify(token, keys, {', // 6
  "    algorithms: ['RS256'],", // 7
  '    // #region audience', // 8
  '    audience: API_CLIENT_ID,', // 9
  '    // #endregion', // 10
  '  });', // 11
  '', // 12
  '  // #endregion', // 13
  '  return payload;', // 14
  '}', // 15
].join('\n');

describe('extractRegion (VS Code #region convention)', () => {
  it('returns the lines between the markers, dedented, without nested markers, with their line numbers', () => {
    expect(extractRegion(source, 'verify')).toEqual({
      code: ['const { payload } = await jwtVerify(token, keys, {', "  algorithms: ['RS256'],", '  audience: API_CLIENT_ID,', '});'].join(
        '\n',
      ),
      startLine: 6,
      endLine: 11,
    });
  });

  it('finds a nested region by its own name', () => {
    expect(extractRegion(source, 'audience')).toEqual({ code: 'audience: API_CLIENT_ID,', startLine: 9, endLine: 9 });
  });

  it('lists the regions of a file', () => {
    expect(listRegions(source)).toEqual(['verify', 'audience']);
  });

  it('does not take a region whose name only starts the same', () => {
    expect(() => extractRegion(source, 'verif')).toThrow(SourceRegionError);
  });

  it('names the file and the regions it has when the region is missing', () => {
    expect(() => extractRegion(source, 'issuer', 'servers/api/verifyAccessToken.ts')).toThrow(
      'No "#region issuer" in servers/api/verifyAccessToken.ts. Its regions are: verify, audience.',
    );
  });

  it('refuses a region without its #endregion, and an empty one', () => {
    expect(() => extractRegion('// #region open\nconst a = 1;\n', 'open')).toThrow(/no matching "#endregion"/);
    expect(() => extractRegion('// #region empty\n\n// #endregion\n', 'empty')).toThrow(/is empty/);
  });
});

describe('extractFunction (for files without #region markers)', () => {
  const file = [
    "import { x } from 'y';", // 1
    '', // 2
    '/**', // 3
    ' * Builds the configuration.', // 4
    ' */', // 5
    'export function msalConfiguration(config: Config): Configuration {', // 6
    '  return {', // 7
    '    auth: { clientId: config.clientId },', // 8
    '  };', // 9
    '}', // 10
    '', // 11
    'export const loginRequest = (config: Config) => ({', // 12
    '  scopes: config.scopes,', // 13
    '});', // 14
  ].join('\n');

  it('returns the function with its doc comment, up to its closing brace', () => {
    const part = extractFunction(file, 'msalConfiguration');
    expect(part.startLine).toBe(3);
    expect(part.endLine).toBe(10);
    expect(part.code.split('\n')[0]).toBe('/**');
    expect(part.code.split('\n').at(-1)).toBe('}');
  });

  it('finds a const arrow function too', () => {
    expect(extractFunction(file, 'loginRequest')).toEqual({ code: file.split('\n').slice(11, 14).join('\n'), startLine: 12, endLine: 14 });
  });

  it('does not match a name that only starts the same', () => {
    expect(() => extractFunction(file, 'msalConfig', 'src/widgets/msal/msalConfig.ts')).toThrow(
      'No top-level function "msalConfig" in src/widgets/msal/msalConfig.ts.',
    );
  });
});
