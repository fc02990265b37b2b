/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those named on the command line) one after
 * the other, so no two benchmarks compete for the two cores.
 * Each file's default export is an async function that measures and prints its own ratios.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useTestPorts } from '../tests/support/test-ports.ts';

useTestPorts();

const wanted = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.includes(name)))
  .sort();

if (files.length === 0) {
  console.error(
    `No benchmark matches ${wanted.join(', ')}. Available: ${readdirSync('bench')
      .filter((f) => f.endsWith('.bench.ts'))
      .join(', ')}`,
  );
  process.exit(1);
}
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const module = (await import(pathToFileURL(resolve('bench', file)).href)) as { default: () => Promise<void> };
  await module.default();
}
