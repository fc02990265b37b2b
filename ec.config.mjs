// @ts-check
// Expressive Code's settings, read by Starlight for Markdown code blocks and the <Code> component alike.
import { defineEcConfig } from '@astrojs/starlight/expressive-code';
import { codeBlockNames } from './src/integrations/codeBlockNames.ts';

export default defineEcConfig({
  // Every scrolling code block gets a unique accessible name (see the file).
  plugins: [codeBlockNames()],
});
