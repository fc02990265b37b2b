/**
 * The build step behind lazy widgets (src/integrations/lazy-widget-scripts.ts): a widget component's
 * bundled script tag becomes one the browser does not run, other scripts stay as built, and the
 * components are found from the source folders, not a list kept by hand.
 */
import { describe, expect, it } from 'vitest';
import { deferWidgetScripts, widgetComponents } from '../../../src/integrations/lazy-widget-scripts.ts';

const tag = (src: string) => `<script type="module" src="${src}"></script>`;

describe('deferWidgetScripts', () => {
  it('turns a widget component script into lab/lazy-module and leaves the rest as built', () => {
    const html = [
      tag('/_astro/Header.astro_astro_type_script_index_0_lang.CiX-em4N.js'),
      tag('/_astro/SignIn.astro_astro_type_script_index_0_lang.B93HPlxz.js'),
      tag('/entra-flows-lab/_astro/TokenDecoder.astro_astro_type_script_index_0_lang.Cb_8G2nO.js'),
      '<script type="application/json" data-lab-config>{}</script>',
    ].join('\n');
    const out = deferWidgetScripts(html, ['SignIn', 'TokenDecoder']);
    expect(out).toContain(tag('/_astro/Header.astro_astro_type_script_index_0_lang.CiX-em4N.js'));
    expect(out).toContain('<script type="lab/lazy-module" src="/_astro/SignIn.astro_astro_type_script_index_0_lang.B93HPlxz.js"></script>');
    expect(out).toContain(
      '<script type="lab/lazy-module" src="/entra-flows-lab/_astro/TokenDecoder.astro_astro_type_script_index_0_lang.Cb_8G2nO.js"></script>',
    );
    expect(out).toContain('data-lab-config');
  });

  it('does not touch a component whose name only starts like a widget’s', () => {
    const html = tag('/_astro/SignInHelp.astro_astro_type_script_index_0_lang.X1.js');
    expect(deferWidgetScripts(html, ['SignIn'])).toBe(html);
  });
});

describe('widgetComponents', () => {
  it('finds every widget component with a bundled script, and leaves the eager ones out', async () => {
    const names = await widgetComponents(['src/widgets', 'src/workshop/exercises'], ['NoLabScript']);
    for (const name of ['SignIn', 'TokenDecoder', 'ApiCaller', 'FlowTracer', 'Settings', 'Exercise', 'Workbench'])
      expect(names).toContain(name);
    expect(names).not.toContain('NoLabScript'); // the static build's fallback card runs at once
    expect(names).not.toContain('LabConfigData'); // data only, no script
  });
});
