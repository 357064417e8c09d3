/**
 * `node out/bench/gate/summarizeGate.js OUT.json REPORT.json...`
 *
 * Rows of bench/gate/README.md from `npm run eval` JSON reports: per report and model, the gate's
 * figures ungated, at the default threshold and at the recommended one (coverage, precision,
 * right first lines, accepted characters per shown suggestion, EM, ES), and whether the goal holds
 * (precision >= 2x ungated and >= 0.1, keeping >= half the right suggestions).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvaluationReport } from '../../completion/evaluation/runner';
import { DEFAULT_MIN_CONFIDENCE } from '../../completion/confidenceThresholds';

const [out, ...files] = process.argv.slice(2);
if (!out || !files.length) throw new Error('usage: summarizeGate OUT.json REPORT.json...');
const rows = files.flatMap((file) => {
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as EvaluationReport;
  return report.models.filter((m) => m.gate && !m.draftPath).map((m) => {
    const curve = m.gate!.curve;
    const at = (t: number) => curve.find((p) => Math.abs(p.threshold - t) < 1e-9) ?? curve[0];
    const ungated = curve[0];
    const rec = at(m.gate!.recommended.threshold);
    const goal = rec.precision >= 2 * ungated.precision && rec.precision >= 0.1 && rec.right * 2 >= ungated.right && ungated.right > 0;
    return { report: path.basename(file), repo: report.repo, model: m.label, tasks: m.gate!.tasks, kinds: report.tasks.byKind,
      ungated, atDefault: at(DEFAULT_MIN_CONFIDENCE), recommended: rec, anyCandidateRight: m.gate!.anyCandidateRight, goalMet: goal };
  });
});
fs.writeFileSync(out, JSON.stringify({ defaultThreshold: DEFAULT_MIN_CONFIDENCE, rows }, null, 2));
const f = (p: { coverage: number; precision: number; right: number; acceptedCharsPerShown: number; exactMatch: number; editSimilarity: number; threshold: number }) =>
  `${p.threshold} | ${(p.coverage * 100).toFixed(1)}% | ${(p.precision * 100).toFixed(1)}% | ${p.right} | ${p.acceptedCharsPerShown.toFixed(1)} | ${(p.exactMatch * 100).toFixed(1)}% | ${p.editSimilarity.toFixed(3)}`;
console.log('| report | model | tasks | gate | threshold | coverage | precision | right | accepted chars / shown | EM | ES |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  for (const [name, p] of [['ungated', r.ungated], ['default', r.atDefault], ['recommended', r.recommended]] as const) {
    console.log(`| ${r.report} | ${r.model} | ${r.tasks} | ${name} | ${f(p)} |`);
  }
}
