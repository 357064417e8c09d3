/**
 * Runs the in-host suite (out/test/suite/index.js) in a downloaded desktop VS Code through
 * @vscode/test-electron, for machines that can download VS Code and run Electron (a developer's
 * laptop, CI with a display or xvfb-run). It CANNOT run on the build machines of this project:
 * no VS Code desktop build can be downloaded there and electron's postinstall fails; there the same
 * suite runs inside code-server instead (test/e2e/inHost.ts, part of `npm run test:e2e`).
 *
 * Usage:  npm run build && npm run models:generate -- tiny && node out/test/electron/runTests.js
 * Env:    E2E_MODEL        model to test with (default .cache/models/tiny.gguf)
 *         VSCODE_VERSION   VS Code version to download (default 'stable')
 * Needs the devDependency @vscode/test-electron (loaded with require() so that this file
 * compiles before it is installed).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeUserSettings } from '../e2e/settings';

/** The part of @vscode/test-electron's API used here. */
interface TestElectron {
  runTests(options: {
    version?: string;
    extensionDevelopmentPath: string;
    extensionTestsPath: string;
    launchArgs?: string[];
    extensionTestsEnv?: Record<string, string | undefined>;
  }): Promise<number>;
}

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..', '..');
  const model = path.resolve(process.env.E2E_MODEL ?? path.join(repo, '.cache', 'models', 'tiny.gguf'));
  if (!fs.existsSync(model)) throw new Error(`model ${model} missing: run npm run models:generate -- tiny`);
  if (!fs.existsSync(path.join(repo, 'dist', 'extension.js'))) throw new Error('dist/extension.js missing: run npm run build');

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-electron-'));
  const userDataDir = path.join(work, 'ud');
  const extensionsDir = path.join(work, 'exts');
  const workspace = path.join(work, 'workspace');
  writeUserSettings(userDataDir, { modelPath: model });
  fs.cpSync(path.join(repo, 'test', 'e2e', 'workspace'), workspace, { recursive: true });

  const { runTests } = require('@vscode/test-electron') as TestElectron;
  try {
    const code = await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out', 'test', 'suite', 'index.js'),
      launchArgs: [
        workspace,
        `--user-data-dir=${userDataDir}`,
        `--extensions-dir=${extensionsDir}`,
        '--disable-extensions', // every other extension; the one under development still loads
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
      extensionTestsEnv: { E2E_MODEL: model },
    });
    // 3.x rejects with TestRunFailedError on a non-zero exit; older versions resolve with the code
    if (code !== 0) process.exitCode = code;
  } finally {
    if (!process.env.E2E_KEEP) fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error('electron tests failed:', e);
  process.exit(1);
});
