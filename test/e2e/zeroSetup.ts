/**
 * GUI case "zero setup": a fresh install of the VSIX with no model setting at all. The extension
 * must pick the trained model bundled inside the package (models/bundled/, paired with its
 * draft), show its name in the status bar, and put ghost text on screen that Tab accepts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log, openFileFromExplorer, openWorkbench, runGuiCase } from './lib';
import { acceptSaveAndCheck, typeUntilGhost } from './ghostTyping';

const FILE = 'greeter.ts';
const bundledDir = path.resolve(__dirname, '..', '..', '..', 'models', 'bundled');

void runGuiCase('zero-setup', async (page, env) => {
  // The VSIX bundles the repository's pair (scripts/package.mjs); its target names the status item.
  const target = fs.readdirSync(bundledDir).find((n) => n.endsWith('.gguf') && !/draft/i.test(n));
  if (!target) throw new Error(`no bundled model in ${bundledDir}`);
  const label = target.replace(/\.gguf$/i, '');
  const wb = await openWorkbench(page, env, FILE, label);
  await openFileFromExplorer(page, FILE);
  // The bundled model loads in well under a second; a small model often has no suggestion for a
  // line, so try the next line after 15 s rather than the 60 s the first load of a big model needs.
  const g = await typeUntilGhost(page, { firstTimeoutMs: 15_000, timeoutMs: 15_000, screenshot: path.join(env.shots, 'zero-setup.png') });
  const accepted = await acceptSaveAndCheck(page, path.join(env.workspace, FILE), g);
  log(`accepted and saved: ${JSON.stringify(g.typed + accepted)}`);
  return `bundled ${label}, activation ${wb.activationMs} ms, keystroke→ghost ${g.keyToGhostMs} ms, ghost ${JSON.stringify(g.ghost.slice(0, 40))}, status "${g.status}"`;
});
