/**
 * The one place that knows how to launch the system Chromium: the site build (which renders the
 * Mermaid diagrams in it), the end-to-end tests and the benchmarks. Nothing ever downloads a browser:
 * they use CHROMIUM_PATH, else Debian's /usr/bin/chromium.
 */
export const chromiumPath = process.env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium';

/** Flags that keep Chromium quiet on a machine with no network beyond loopback. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
