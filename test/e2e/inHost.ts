/**
 * In-host case: runs out/test/suite/index.js INSIDE code-server's extension host, the same
 * `extensionTestsPath` model as @vscode/test-electron. code-server must have been started with
 * `--vscode-option enable-smoke-test-driver`; the workbench then honours `?payload=` and reports
 * the suite's result through window.codeAutomationExit (and its console through codeAutomationLog).
 * The extension under test is the repo itself (extensionDevelopmentPath, needs dist/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { caseEnv, launchBrowser, log } from './lib';

async function main(): Promise<never> {
  const env = caseEnv();
  const repo = path.resolve(__dirname, '..', '..', '..');
  const suite = path.join(repo, 'out', 'test', 'suite', 'index.js');
  if (!fs.existsSync(suite)) throw new Error(`${suite} missing: run npm run compile`);
  if (!fs.existsSync(path.join(repo, 'dist', 'extension.js'))) throw new Error('dist/extension.js missing: run npm run package');
  const host = new URL(env.url).host;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${repo}`],
    ['extensionTestsPath', `vscode-remote://${host}${suite}`],
  ];
  const timeoutMs = Number(process.env.E2E_INHOST_TIMEOUT_MS ?? 480_000);
  const t0 = Date.now();
  const browser = await launchBrowser(env.work);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const suiteLines: string[] = [];
  let exited!: (code: number) => void;
  const exit = new Promise<number>((r) => (exited = r));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const text = (args ?? []).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    if (text.includes('[suite]')) {
      suiteLines.push(text);
      console.log(text);
    } else if (type === 'error' && !/ENOTFOUND open-vsx\.org/.test(text)) {
      // (the workbench's extension gallery queries fail offline: noise, not the extension)
      console.log(`[ext-host error] ${text.split('\n').slice(0, 3).join(' | ').slice(0, 500)}`);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
  await page.goto(
    `${env.url}/?folder=${encodeURIComponent(env.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
  );
  const code = await Promise.race([exit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs))]);
  if (code !== 0) await page.screenshot({ path: path.join(env.shots, 'failure-in-host.png') }).catch(() => {});
  await browser.close().catch(() => {});
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const tally = [...suiteLines].reverse().find((l) => /\d+ passed, \d+ failed/.test(l));
  const failed = suiteLines.filter((l) => /\bFAIL\b/.test(l)).map((l) => l.split('\n')[0].replace(/^.*\bFAIL\b\s*/, '')).join('; ');
  const detail = code === 'timeout'
    ? `no exit code within ${timeoutMs} ms`
    : `${tally?.replace(/^.*\[suite\]\s*/, '') ?? 'no tally'}${failed ? ` — ${failed.slice(0, 300)}` : ''}, exit code ${code}`;
  log(`in-host suite: ${detail} after ${secs} s`);
  fs.writeFileSync(path.join(env.work, 'summary.txt'), `${detail} (${secs} s in browser)\n`);
  process.exit(code === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
