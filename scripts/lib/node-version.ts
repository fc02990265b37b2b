/** Stops early, with the fix, when a script is run on a Node.js older than Astro 7 needs. */
export function requireSupportedNode(): void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return;
  console.error(
    `Node.js ${process.versions.node} is too old for the lab (it needs 22.12 or newer).\n` +
      'Run it through npm ("npm start", "npm test"): npm puts the Node.js 24 that "npm install" brought first on the PATH.',
  );
  process.exit(1);
}
