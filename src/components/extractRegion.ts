/**
 * Cuts a named region out of a source file, the way VS Code folds `// #region name` …
 * `// #endregion`. Pages show these regions so the code on a page is the code that runs.
 */

export class SourceRegionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceRegionError';
  }
}

export interface SourceRegion {
  code: string;
  /** 1-based line numbers of the first and last line shown, in the original file. */
  startLine: number;
  endLine: number;
}

const MARKER = /^\s*(?:\/\/|#|\/\*|<!--|\{\/\*)\s*#(region|endregion)\b\s*([\w.-]*)/;

/** Names of all regions in a file, in order. */
export function listRegions(source: string): string[] {
  return source.split('\n').flatMap((line) => {
    const m = MARKER.exec(line);
    return m?.[1] === 'region' && m[2] ? [m[2]] : [];
  });
}

/** Removes the indentation every non-blank line shares. */
function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common));
}

/**
 * The code between `#region {name}` and its matching `#endregion`, dedented, without the marker
 * lines of any region nested inside it.
 */
export function extractRegion(source: string, name: string, file = 'the file'): SourceRegion {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => {
    const m = MARKER.exec(line);
    return m?.[1] === 'region' && m[2] === name;
  });
  if (start === -1) {
    const known = listRegions(source);
    throw new SourceRegionError(
      `No "#region ${name}" in ${file}. ${known.length ? `Its regions are: ${known.join(', ')}.` : 'It has no #region markers.'}`,
    );
  }
  const kept: string[] = [];
  const keptLineNumbers: number[] = [];
  let depth = 0;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const m = MARKER.exec(line);
    if (m?.[1] === 'region') {
      depth += 1;
      continue;
    }
    if (m?.[1] === 'endregion') {
      if (depth === 0) {
        // Trim blank lines at both ends, keeping the line numbers in step.
        let first = 0;
        let last = kept.length - 1;
        while (first <= last && !kept[first]?.trim()) first++;
        while (last >= first && !kept[last]?.trim()) last--;
        if (first > last) throw new SourceRegionError(`Region "${name}" in ${file} is empty.`);
        return {
          code: dedent(kept.slice(first, last + 1)).join('\n'),
          startLine: (keptLineNumbers[first] as number) + 1,
          endLine: (keptLineNumbers[last] as number) + 1,
        };
      }
      depth -= 1;
      continue;
    }
    kept.push(line);
    keptLineNumbers.push(i);
  }
  throw new SourceRegionError(`Region "${name}" in ${file} has no matching "#endregion".`);
}

/**
 * A top-level function (or const arrow function) by name, with the doc comment above it, up to the
 * closing brace at column 0, as Biome formats it. For files without #region markers.
 */
export function extractFunction(source: string, name: string, file = 'the file'): SourceRegion {
  const lines = source.split('\n');
  const declaration = new RegExp(`^(?:export\\s+)?(?:default\\s+)?(?:async\\s+)?(?:function\\s+${name}\\b|const\\s+${name}\\s*=)`);
  const start = lines.findIndex((line) => declaration.test(line));
  if (start === -1) throw new SourceRegionError(`No top-level function "${name}" in ${file}.`);
  let first = start;
  if (lines[start - 1]?.trim().endsWith('*/')) {
    while (first > 0 && !lines[first]?.trim().startsWith('/**')) first--;
  }
  const end = lines.findIndex((line, i) => i >= start && /^[}\]][);]*\s*$/.test(line));
  if (end === -1) throw new SourceRegionError(`Function "${name}" in ${file} has no closing brace at the start of a line.`);
  return { code: lines.slice(first, end + 1).join('\n'), startLine: first + 1, endLine: end + 1 };
}
