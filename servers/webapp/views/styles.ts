/** The tab icon: a checked box, served as `/favicon.svg` (no request to anywhere else). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="3" y="3" width="26" height="26" rx="6" fill="#3730a3"/><path d="M9 16.5l5 5 9-11" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';

/**
 * The web app's one stylesheet, served as `/styles.css` so the Content-Security-Policy can say
 * `style-src 'self'` (no inline style, no inline script). Light and dark follow the reader's system
 * setting (`prefers-color-scheme`); colours meet WCAG AA contrast in both.
 */
export const STYLESHEET = `
:root { color-scheme: light dark; --bg: #f4f6fb; --card: #ffffff; --text: #1a1d24; --muted: #4a5162; --line: #c9cfdb;
  --accent: #3730a3; --on-accent: #ffffff; --accent-soft: #e6e8fb; --ok: #17623a; --bad: #a1262d; --code-bg: #eef0f6; --focus: #1a1d24; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #12141a; --card: #1d2029; --text: #eceef4; --muted: #b4bac8; --line: #3a3f4d;
    --accent: #a5b4fc; --on-accent: #12141a; --accent-soft: #2a2f45; --ok: #7ee2a8; --bad: #ff9ea4; --code-bg: #262a35; --focus: #eceef4; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: .5rem; background: var(--card); padding: .25rem .5rem; }
header.top { background: var(--card); border-bottom: 1px solid var(--line); }
header.top .inner, main, footer { max-width: 60rem; margin: 0 auto; padding: 0 1.25rem; }
header.top .inner { display: flex; align-items: center; justify-content: space-between; gap: 1rem; min-height: 3.5rem; }
.brand { font-weight: 700; font-size: 1.05rem; }
.brand small { display: block; font-weight: 400; color: var(--muted); font-size: .8rem; }
main { padding-top: 1.5rem; padding-bottom: 2rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
.lead { color: var(--muted); max-width: 44rem; }
.grid { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr)); margin-top: 1.25rem; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1.1rem 1.25rem; }
section.card.wide { grid-column: 1 / -1; }
button, .button { display: inline-block; font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: 6px; border: 2px solid var(--accent);
  background: var(--accent); color: var(--on-accent); cursor: pointer; text-decoration: none; }
button.quiet { background: transparent; color: var(--accent); }
fieldset { border: 1px solid var(--line); border-radius: 8px; padding: .5rem 1rem 1rem; margin: 0 0 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
label.choice { display: flex; gap: .5rem; align-items: baseline; margin-top: .5rem; }
label.choice span { color: var(--muted); font-size: .9rem; }
dl.facts { display: grid; grid-template-columns: minmax(6rem, max-content) minmax(0, 1fr); gap: .3rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: break-word; }
ul.tasks { list-style: none; padding: 0; margin: 0; }
ul.tasks li { display: flex; gap: .6rem; align-items: baseline; padding: .45rem 0; border-bottom: 1px solid var(--line); }
ul.tasks li:last-child { border-bottom: 0; }
.status { font-size: .8rem; font-weight: 700; padding: .05rem .45rem; border-radius: 999px; border: 1px solid currentColor; white-space: nowrap; }
.status.ok { color: var(--ok); }
.status.bad { color: var(--bad); }
.status.todo { color: var(--muted); }
ol.legs { padding-left: 1.2rem; margin: 0; }
ol.legs > li { margin-bottom: 1rem; }
ol.legs .line { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
code { background: var(--code-bg); padding: 0 .25rem; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--code-bg); padding: .75rem; border-radius: 6px; overflow-x: auto; max-height: 22rem; }
details summary { cursor: pointer; color: var(--accent); font-weight: 600; }
.note { background: var(--accent-soft); border-radius: 8px; padding: .75rem 1rem; }
.problem { border-left: 4px solid var(--bad); }
.muted { color: var(--muted); }
footer { color: var(--muted); font-size: .85rem; padding-bottom: 2rem; }
`;
