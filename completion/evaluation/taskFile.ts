/**
 * Tasks from a JSON Lines file (`npm run eval -- --tasks-file FILE.jsonl`), one task a line:
 * `{"language": "python", "prefix": "...", "suffix": "...", "middle": "...", "path"?: "pkg/mod.py"}`.
 * A path lets the context layer see the file in the repository given by `--repo`. A bad line is
 * reported with its number and skipped, never the whole file.
 */
import type { FimTask } from './sampleTasks';

const EXTENSIONS: Record<string, string> = {
  python: 'py', typescript: 'ts', javascript: 'js', go: 'go', rust: 'rs', java: 'java', c: 'c', cpp: 'cpp',
  csharp: 'cs', ruby: 'rb', php: 'php', typescriptreact: 'tsx', javascriptreact: 'jsx',
};

export function parseTaskFile(text: string): { tasks: FimTask[]; errors: string[] } {
  const tasks: FimTask[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let t: Record<string, unknown>;
    try {
      t = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      errors.push(`line ${i + 1}: not JSON (${err instanceof Error ? err.message : String(err)})`);
      return;
    }
    const { language, prefix, suffix, middle, path } = t;
    if (typeof language !== 'string' || typeof prefix !== 'string' || typeof suffix !== 'string' || typeof middle !== 'string') {
      errors.push(`line ${i + 1}: needs string fields language, prefix, suffix, middle`);
      return;
    }
    const languageId = language.toLowerCase();
    tasks.push({
      kind: middle.replace(/\n+$/, '').includes('\n') ? 'lines' : 'line',
      path: typeof path === 'string' && path ? path : `task-${i + 1}.${EXTENSIONS[languageId] ?? 'txt'}`,
      languageId, start: prefix.length, end: prefix.length + middle.length, prefix, middle, suffix,
    });
  });
  return { tasks, errors };
}
