/**
 * `npm run test:reliability`: runs each reliability scenario (a node:test file, or the in-editor
 * suite) on its own, one after another (the machine's cores are shared), and prints one summary
 * line per scenario with its figures, then "N passed, N failed". Figures also go to
 * .cache/reliability/summary.json.
 * Env: RELIABILITY_ONLY=storm,idle (files or scenario names to run), RELIABILITY_EDITOR=0 (skip
 * the in-editor run, e.g. when test:e2e follows and runs the same suite).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const OUT_DIR = path.join(ROOT, '.cache', 'reliability');
const RESULTS = path.join(OUT_DIR, 'results');

/** In the order they run: quick static checks first, the long namespace run last but one. */
const FILES = [
  'networkGuard', 'networkCode', 'workspaceTrust', 'hostIsolation', 'offline', 'serverNetwork', 'crash', 'hung', 'boundaryCost', 'badModels',
  'fuzzModels', 'badDocuments', 'storm', 'idle', 'netns',
];

interface Line { status: 'PASS' | 'FAIL' | 'SKIP'; scenario: string; seconds: number; figures: string }

function runFile(name: string): Line[] {
  const file = path.join(__dirname, `${name}.test.js`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], {
    encoding: 'utf8', env: { ...process.env, RELIABILITY_RESULTS: RESULTS }, timeout: 300_000, maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (Date.now() - started) / 1000;
  const reported = readResults(name);
  const ok = run.status === 0;
  if (!ok) {
    const failures = (run.stdout ?? '').split('\n').filter((l) => /^\s*not ok|^\s+error:|^\s+(expected|actual):/.test(l)).slice(0, 30);
    console.log(failures.join('\n') || (run.stderr ?? '').slice(-3000) || String(run.error));
  }
  if (!reported.length) return [{ status: ok ? 'PASS' : 'FAIL', scenario: name, seconds, figures: ok ? '' : `exit ${run.status ?? run.signal}` }];
  return reported.map((r) => ({
    status: r.skipped ? 'SKIP' : ok ? 'PASS' : 'FAIL', scenario: r.scenario, seconds, figures: r.figures,
  }));
}

/** Scenario lines the test file reported (support.ts report()). */
function readResults(file: string): Array<{ scenario: string; figures: string; skipped?: boolean }> {
  const found: Array<{ scenario: string; figures: string; skipped?: boolean }> = [];
  if (!fs.existsSync(RESULTS)) return [];
  for (const f of fs.readdirSync(RESULTS).filter((n) => n.endsWith('.jsonl'))) {
    const scenario = f.replace(/\.jsonl$/, '');
    const lines = fs.readFileSync(path.join(RESULTS, f), 'utf8').split('\n').filter(Boolean);
    for (const l of lines) found.push({ scenario, ...(JSON.parse(l) as { figures: string; skipped?: boolean }) });
    fs.renameSync(path.join(RESULTS, f), path.join(RESULTS, `${f}.${file}.done`));
  }
  return found;
}

/** The in-editor reliability tests (test/suite/reliability*.ts) in code-server, in private folders. */
function runEditor(): Line {
  const started = Date.now();
  if (process.env.RELIABILITY_EDITOR === '0') {
    return { status: 'SKIP', scenario: 'editor', seconds: 0, figures: 'RELIABILITY_EDITOR=0 (the e2e in-host case runs the same tests)' };
  }
  if (!fs.existsSync(path.join(ROOT, '.cache', 'e2e', 'cs')) && process.env.RELIABILITY_EDITOR !== '1') {
    return { status: 'SKIP', scenario: 'editor', seconds: 0, figures: 'code-server not set up (bash test/e2e/setup.sh, or RELIABILITY_EDITOR=1)' };
  }
  const run = spawnSync('bash', [path.join(ROOT, 'test', 'e2e', 'run.sh')], {
    cwd: ROOT, encoding: 'utf8', timeout: 420_000, maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env, E2E_CASES: 'in-host', E2E_SKIP_PACKAGE: '1', E2E_SUITE: 'reliability',
      E2E_RUN: path.join(OUT_DIR, 'e2e-run'), E2E_RESULTS: path.join(OUT_DIR, 'e2e-results'),
    },
  });
  const suite = (run.stdout ?? '').split('\n').filter((l) => l.includes('[suite]')).map((l) => l.replace(/^.*\[suite\]\s*/, ''));
  for (const l of suite) if (!/^(PASS|VS Code)/.test(l)) console.log(`  editor: ${l.split('\n')[0].slice(0, 400)}`);
  const tally = suite.filter((l) => /^\d+ passed, \d+ failed/.test(l)).pop() ?? `no tally (exit ${run.status}): ${(run.stdout ?? '').slice(-1500)}`;
  return { status: run.status === 0 ? 'PASS' : 'FAIL', scenario: 'editor', seconds: (Date.now() - started) / 1000, figures: `in-host suite in code-server: ${tally}` };
}

function main(): void {
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  const only = process.env.RELIABILITY_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
  const wanted = (name: string) => !only || only.some((o) => name.startsWith(o));
  const lines: Line[] = [];
  const print = (l: Line) => console.log(`${l.status} ${l.scenario.padEnd(16)} ${l.seconds.toFixed(1).padStart(6)} s  ${l.figures}`);
  const started = Date.now();
  for (const f of FILES.filter(wanted)) {
    for (const l of runFile(f)) {
      lines.push(l);
      print(l);
    }
  }
  if (wanted('editor')) {
    const l = runEditor();
    lines.push(l);
    print(l);
  }
  fs.writeFileSync(path.join(OUT_DIR, 'summary.json'), JSON.stringify({ at: new Date().toISOString(), seconds: (Date.now() - started) / 1000, lines }, null, 2));
  const failed = lines.filter((l) => l.status === 'FAIL').length;
  const skipped = lines.filter((l) => l.status === 'SKIP');
  console.log(`\nreliability: ${((Date.now() - started) / 1000).toFixed(0)} s; figures in ${path.relative(ROOT, path.join(OUT_DIR, 'summary.json'))}`);
  if (skipped.length) console.log(`skipped: ${skipped.map((l) => `${l.scenario} (${l.figures})`).join('; ')}`);
  console.log(`${lines.length - failed - skipped.length} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main();
