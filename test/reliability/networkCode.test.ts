/**
 * Where network code may live, read from the sources and the bundles: only the model downloader
 * (models/network/modelDownload.ts) imports a network module; only the download UI calls it, after a modal
 * confirmation that shows the URL; only the Switch Model command reaches the download UI, when the
 * user picked a download entry, and the model recommendation, when the user clicked its Download.
 * No telemetry package or API anywhere. The editor-side suite
 * (test/suite/reliability.ts) proves the same at run time: a declined download opens nothing.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { report, REPO_ROOT } from './support';

const PRODUCT_DIRS = ['extension', 'completion', 'context', 'models'];
const NETWORK_MODULE = /(?:from\s+|require\(\s*|import\(\s*)['"](?:node:)?(net|tls|dns|dgram|http|https|http2|undici|ws|node-fetch|axios|got)['"]/;
const NETWORK_GLOBAL = /(?<![\w.])(fetch|WebSocket|XMLHttpRequest|EventSource)\s*\(|new\s+(WebSocket|XMLHttpRequest|EventSource)\b/;
const TELEMETRY_API = /createTelemetryLogger|TelemetryLogger|isTelemetryEnabled|onDidChangeTelemetryEnabled|applicationinsights|@sentry|posthog|mixpanel|segment\.io|extension-telemetry/i;

function productFiles(): Array<{ rel: string; text: string }> {
  const out: Array<{ rel: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push({ rel, text: fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8') });
    }
  };
  PRODUCT_DIRS.forEach(walk);
  return out;
}

/** Source without comments, so that prose about "fetch" or "http" does not count. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

test('only the model downloader and the completion-server client import a network module or call fetch', (t) => {
  const files = productFiles();
  assert.ok(files.length > 30, 'product sources found');
  const users = files.filter((f) => NETWORK_MODULE.test(code(f.text)) || NETWORK_GLOBAL.test(code(f.text))).map((f) => f.rel).sort();
  assert.deepEqual(users, [path.join('models', 'network', 'modelDownload.ts'), path.join('models', 'network', 'servers', 'httpStream.ts')]);
  report(t, 'network-code', `${files.length} product files scanned: network modules only in models/network/modelDownload.ts and servers/httpStream.ts`);
});

test('server clients are reached only through the backend choice (never with builtin) and the Switch Model probe', () => {
  const files = productFiles();
  const servers = path.join('models', 'network', 'servers');
  const importers = files.filter((f) => !f.rel.startsWith(servers) && /from '[^']*network\/servers\//.test(code(f.text))).map((f) => f.rel).sort();
  assert.deepEqual(importers, [path.join('extension', 'backendChoice.ts'), path.join('extension', 'serverSettings.ts'), path.join('models', 'library', 'modelChoices.ts')]);
  const text = (rel: string) => code(files.find((f) => f.rel === rel)!.text);
  // Only httpStream's two functions touch the network; only server files call them.
  const callers = files.filter((f) => /\brequest(Lines|Json)\(/.test(code(f.text))).map((f) => f.rel);
  assert.ok(callers.every((r) => r.startsWith(servers)), callers.join(', '));
  // serverSettings only takes the pure host policy and types.
  const valueImports = [...text(path.join('extension', 'serverSettings.ts')).matchAll(/import (type )?\{[^}]*\} from '[^']*servers\/(\w+)'/g)]
    .filter((m) => !m[1]).map((m) => m[2]);
  assert.deepEqual(valueImports, ['hostPolicy']);
  assert.doesNotMatch(text(path.join('extension', 'serverSettings.ts')), /new ServerBackend|requestLines|probeServers/);
  // The backend choice answers builtin with the engine before anything else, and builds a server
  // client only after its own builtin return.
  const choice = text(path.join('extension', 'backendChoice.ts'));
  const complete = choice.slice(choice.indexOf('async complete('));
  assert.match(complete, /^async complete\([^)]*\)[^{]*\{\s*if \(readBackend\(\) === 'builtin'\) return this\.engine\.complete\(/);
  const resolve = choice.slice(choice.indexOf('private async resolve('));
  assert.ok(resolve.indexOf("if (kind === 'builtin') return") < resolve.indexOf('new ServerBackend('), 'builtin returns before a server client exists');
  assert.equal([...choice.matchAll(/new ServerBackend\(/g)].length, 1);
  // The probe runs only from Switch Model.
  const probeCallers = files.filter((f) => /\bgatherServerChoices\(/.test(code(f.text)) && !/export function gatherServerChoices/.test(f.text)).map((f) => f.rel);
  assert.deepEqual(probeCallers, [path.join('extension', 'modelPicker.ts')]);
  assert.deepEqual(files.filter((f) => /\bprobeServers\(/.test(code(f.text)) && !f.rel.endsWith('serverProbe.ts')).map((f) => f.rel), [path.join('models', 'library', 'modelChoices.ts')]);
});

test('downloads start only from an explicit user action: picked in Switch Model, then confirmed in a modal', () => {
  const files = productFiles();
  const callers = (name: string) => files.filter((f) => new RegExp(`(?<!function )\\b${name}\\(`).test(code(f.text)))
    .map((f) => f.rel).sort();
  assert.deepEqual(callers('downloadModel'), [path.join('extension', 'downloadUi.ts')]);
  assert.deepEqual(callers('downloadCatalogModel'),
    [path.join('extension', 'commands.ts'), path.join('extension', 'downloadUi.ts'), path.join('extension', 'recommendation.ts')].sort());

  const ui = code(files.find((f) => f.rel === path.join('extension', 'downloadUi.ts'))!.text);
  assert.match(ui, /confirm = true,?\s*\)/, 'confirmation is the default');
  const modal = ui.search(/showInformationMessage\([\s\S]{0,200}modal: true/);
  assert.ok(modal > 0 && modal < ui.indexOf('downloadModel('), 'a modal confirmation comes before the download');
  assert.match(ui, /detail: `From: \$\{entry\.url\}/, 'the modal shows the URL');
  assert.match(ui, /if \(!answer\) return undefined;/, 'declining returns before any download');
  // The one unconfirmed call resumes a download after the user clicked "Resume".
  const unconfirmed = [...ui.matchAll(/downloadCatalogModel\([^)]*false\)/g)];
  assert.equal(unconfirmed.length, 1);
  assert.match(ui.slice(Math.max(0, unconfirmed[0].index! - 200), unconfirmed[0].index), /'Resume'\);\s*return again \?\s*$/);

  const commands = code(files.find((f) => f.rel === path.join('extension', 'commands.ts'))!.text);
  const call = commands.indexOf('downloadCatalogModel(picked.choice');
  assert.ok(call > 0, 'Switch Model downloads the picked entry');
  assert.match(commands.slice(commands.lastIndexOf('pickModel(', call), call), /if \(picked\.kind === 'download'\) \{\s*const file = await $/,
    'only when the user picked a download entry in the Switch Model list');

  // The model recommendation (issue #15) downloads only after its Download button was clicked.
  const rec = code(files.find((f) => f.rel === path.join('extension', 'recommendation.ts'))!.text);
  const recCalls = [...rec.matchAll(/downloadCatalogModel\(/g)];
  assert.equal(recCalls.length, 1, 'one download call in the recommendation');
  assert.match(rec.slice(Math.max(0, recCalls[0].index! - 120), recCalls[0].index), /if \(answer === 'Download'\) \{\s*const file = await $/,
    'the recommendation downloads only when the user clicked Download');
  assert.doesNotMatch(rec.slice(recCalls[0].index!, recCalls[0].index! + 80), /false\)/, 'with the modal confirmation');
});

test('no telemetry: no telemetry package, no telemetry API in the sources or the bundles', (t) => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
  assert.deepEqual(deps.filter((d) => TELEMETRY_API.test(d) || /telemetry|analytics|sentry|insights/i.test(d)), []);
  assert.deepEqual(productFiles().filter((f) => TELEMETRY_API.test(code(f.text))).map((f) => f.rel), []);
  const bundles = ['extension.js', 'engine.js', 'hardwareProbe.js', 'validator.js'].map((b) => path.join(REPO_ROOT, 'dist', b)).filter(fs.existsSync);
  for (const b of bundles) {
    const text = fs.readFileSync(b, 'utf8');
    assert.doesNotMatch(text, TELEMETRY_API, `${b} mentions a telemetry API`);
    // The engine and the probe may not even load a network module; the host bundle only for the downloader.
    const required = [...text.matchAll(/require\("(?:node:)?(net|tls|dns|dgram|http|https|http2|undici)"\)/g)].map((m) => m[1]);
    // The host bundle: the downloader and the completion-server client (both in models/network/).
    assert.deepEqual([...new Set(required)].sort(), b.endsWith('extension.js') ? ['http', 'https'] : [], `${b} loads ${required.join(', ')}`);
  }
  report(t, 'no-telemetry', `${deps.length} runtime dependencies, ${bundles.length} bundles: no telemetry; ` +
    'engine bundle loads no network module');
});

test('the package-index fetcher (npm run models:real) is developer tooling: no product code reaches it, and nothing else runs pip', (t) => {
  const files = productFiles();
  const index = path.join('models', 'network', 'packageIndex');
  const importers = files.filter((f) => !f.rel.startsWith(index) && /from '[^']*network\/packageIndex\//.test(code(f.text))).map((f) => f.rel);
  assert.deepEqual(importers, []);
  const pipUsers = files.filter((f) => /['"]pip3?['"]|python3?['"][^)]*['"]-m['"]/.test(code(f.text))).map((f) => f.rel).sort();
  assert.deepEqual(pipUsers, [path.join(index, 'realModels.ts')]);
  const bundle = path.join(REPO_ROOT, 'dist', 'extension.js');
  if (fs.existsSync(bundle)) assert.doesNotMatch(fs.readFileSync(bundle, 'utf8'), /pip download|realModelCacheDir/, 'the extension bundle holds none of it');
  report(t, 'package-index', 'models/network/packageIndex is imported by no product file; only realModels.ts runs pip; the bundle has none of it');
});
