/**
 * The first file every npm script runs: `node scripts/require-node.cjs && <the script>`.
 *
 * The lab's scripts are TypeScript run by Node.js itself (type stripping), so a Node that is too old
 * cannot even parse them and would answer with a stack trace. This file is plain CommonJS in the
 * oldest JavaScript syntax, so any Node can run it: it checks this Node against package.json's
 * `engines.node` and, when it is too old, says why and what to do, and exits with 1. (biome.json lets
 * this one file keep `var`, `require('fs')` and string `+` for that reason.)
 *
 * Usually the Node that runs it is the Node.js 24 that `npm install` brings (the npm package `node`,
 * `node_modules/.bin/node`), which npm puts first on the PATH of every script.
 */
'use strict';

var fs = require('fs');
var path = require('path');

var root = path.join(__dirname, '..');
var range = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node;

function parseVersion(text) {
  var parts = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!parts) throw new Error('Not a version: ' + text);
  return [Number(parts[1]), Number(parts[2]), Number(parts[3])];
}

function compare(a, b) {
  for (var i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The subset of semver ranges that `engines.node` uses: `^X.Y.Z` and `>=X.Y.Z`, joined by `||`. */
function satisfies(version, engines) {
  return engines.split('||').some((alternative) => {
    var match = /^\s*(\^|>=)\s*(\d+\.\d+\.\d+)\s*$/.exec(alternative);
    if (!match)
      throw new Error('scripts/require-node.cjs understands only "^X.Y.Z" and ">=X.Y.Z" in engines.node, not "' + alternative.trim() + '"');
    var minimum = parseVersion(match[2]);
    if (compare(version, minimum) < 0) return false;
    return match[1] === '>=' || version[0] === minimum[0];
  });
}

/** Why npm did not run this script on the bundled Node, read from what `npm install` left behind. */
function diagnosis() {
  var modules = path.join(root, 'node_modules');
  var bundled = path.join(modules, 'node');
  if (!fs.existsSync(modules)) {
    return [
      'The dependencies are not installed yet.',
      'Run `npm install` first: it also brings Node.js 24 (the npm package "node"), which every npm script then runs on.',
    ];
  }
  if (!fs.existsSync(bundled)) {
    return [
      'The Node.js 24 that the lab brings as a dev dependency (the npm package "node") is not installed,',
      'which happens with `npm install --omit=dev` or NODE_ENV=production.',
      'Run `npm install --include=dev`.',
    ];
  }
  if (!fs.existsSync(path.join(modules, '.bin', 'node'))) {
    return [
      'The Node.js 24 that the lab brings (the npm package "node") is installed but not set up: its install script did not run',
      '(installed with --ignore-scripts, or by an npm that blocked it although package.json\'s "allowScripts" approves it).',
      'Run `npm rebuild node`.',
    ];
  }
  return [
    'The bundled Node.js 24 is installed (node_modules/.bin/node) but this script did not run on it.',
    'Run the lab through npm (`npm start`, `npm test`), which puts node_modules/.bin first on the PATH, or run the script with node_modules/.bin/node.',
  ];
}

var version = process.versions.node;
if (!satisfies(parseVersion(version), range)) {
  var lines = ['Entra Flows Lab needs Node.js ' + range + '; this is Node.js ' + version + ' (' + process.execPath + ').'];
  lines = lines.concat(diagnosis());
  lines.push('Or install a Node.js in that range yourself: https://nodejs.org/en/download');
  console.error(lines.join('\n'));
  process.exit(1);
}
