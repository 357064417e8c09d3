/**
 * Imports of a file and where they may live in the workspace. Extraction is by pattern on the
 * text (cheap, and it works on a file the parser gave up on); resolution yields candidate paths
 * that the workspace index looks up: exact workspace-relative paths, path suffixes (a package
 * path whose root we do not know), or directory suffixes (Go packages, Java wildcards).
 */
import * as path from 'node:path';
import { languageFamily } from './languages';

export interface ImportTargets {
  exact: string[];
  suffix: string[];
  dirSuffix: string[];
}

const PATTERNS: Record<string, RegExp[]> = {
  js: [/\bfrom\s*['"]([^'"\n]+)['"]/g, /\bimport\s*['"]([^'"\n]+)['"]/g, /\brequire\(\s*['"]([^'"\n]+)['"]\s*\)/g, /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g],
  python: [/^\s*from\s+([.\w]+)\s+import\s+([\w, ()]+)/gm, /^\s*import\s+([\w.]+)/gm],
  go: [/^\s*(?:import\s+)?(?:[\w.]+\s+)?"([^"\n]+)"\s*$/gm],
  rust: [/^\s*(?:pub\s+)?use\s+([\w:]+)/gm, /^\s*(?:pub\s+)?mod\s+(\w+)\s*;/gm],
  java: [/^\s*import\s+(?:static\s+)?([\w.]+(?:\.\*)?)\s*;/gm],
  c: [/^\s*#\s*include\s*"([^"\n]+)"/gm],
  // C# code sees the types of its own namespace and of the namespaces that enclose it, unimported.
  csharp: [/^\s*(?:global\s+)?using\s+(?:static\s+)?([A-Z_a-z][\w.]*)\s*;/gm, /^\s*namespace\s+([A-Z_a-z][\w.]*)/gm],
  ruby: [/^\s*require_relative\s*\(?\s*['"]([^'"\n]+)['"]/gm, /^\s*require\s*\(?\s*['"]([^'"\n]+)['"]/gm],
  php: [/^\s*use\s+([\w\\]+)/gm, /\b(?:require|include)(?:_once)?\s*\(?\s*['"]([^'"\n]+)['"]/gm],
};

/** Import specifiers in order of appearance (python `from a import b, c` yields a:b,c). */
export function extractImports(languageId: string, text: string): string[] {
  const family = languageFamily(languageId);
  let head = family === 'js' || family === 'php' ? text : text.slice(0, 65_536);
  // Go imports precede all declarations; stop there so quoted lines in code are not taken for one.
  if (family === 'go') head = head.slice(0, Math.max(0, head.search(/^(func|type|var|const)\s/m)) || head.length);
  const found: string[] = [];
  (PATTERNS[family] ?? []).forEach((re, i) => {
    for (const m of head.matchAll(re)) {
      let spec = m[1];
      if (family === 'python' && i === 0 && m[2]) spec = `${m[1]}:${m[2].replace(/[()\s]/g, '')}`;
      if (family === 'ruby' && i === 0) spec = `./${spec}`;
      const specs = family === 'csharp' && i === 1 ? enclosingNamespaces(spec) : [spec];
      for (const one of specs) if (!found.includes(one)) found.push(one);
    }
  });
  return found.slice(0, 200);
}

/**
 * The modules one import statement may load, each to resolve on its own: Python's
 * `from pkg import a, b` loads pkg and, where they are submodules, pkg.a and pkg.b.
 */
export function importedModules(languageId: string, spec: string): string[] {
  if (languageFamily(languageId) !== 'python' || !spec.includes(':')) return [spec];
  const [mod, names] = spec.split(':');
  const join = (n: string) => (mod.endsWith('.') ? mod + n : `${mod}.${n}`);
  return [mod, ...names.split(',').filter((n) => n && n !== '*').map(join)];
}

/** `A.B.C` and the namespaces around it, innermost first: `A.B.C`, `A.B`, `A`. */
function enclosingNamespaces(ns: string): string[] {
  const parts = ns.split('.');
  return parts.map((_p, i) => parts.slice(0, parts.length - i).join('.'));
}

/** Where an import of `spec` from `fromPath` (workspace-relative, posix) may be. */
export function importTargets(languageId: string, fromPath: string, spec: string): ImportTargets {
  const dir = path.posix.dirname(fromPath);
  const t: ImportTargets = { exact: [], suffix: [], dirSuffix: [] };
  switch (languageFamily(languageId)) {
    case 'js': {
      const exts = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
      const bases: string[] = [];
      if (spec.startsWith('.')) bases.push(path.posix.join(dir, spec));
      else if (/^[@~#]\//.test(spec)) t.suffix.push(...withExts(spec.slice(2), exts));
      else return t; // a package from node_modules
      for (const b of bases) {
        const stem = b.replace(/\.(m|c)?jsx?$/, '');
        t.exact.push(b, ...withExts(stem, exts), ...withExts(`${b}/index`, exts));
      }
      return t;
    }
    case 'python': {
      const dots = /^\.*/.exec(spec)![0].length;
      const base = spec.slice(dots).replace(/\./g, '/');
      if (dots) {
        const rel = path.posix.join(dir, '../'.repeat(dots - 1), base);
        t.exact.push(`${rel}.py`, `${rel}/__init__.py`);
      } else {
        // Then without the top package: a workspace opened at the package's own folder.
        for (const b of base.includes('/') ? [base, base.slice(base.indexOf('/') + 1)] : [base]) t.suffix.push(`${b}.py`, `${b}/__init__.py`);
      }
      return t;
    }
    case 'go':
      t.dirSuffix.push(spec.split('/').slice(-2).join('/'), spec.split('/').slice(-1)[0]);
      return t;
    case 'rust': {
      const parts = spec.split('::').filter((p) => p && p !== 'self' && p !== '{');
      if (parts[0] === 'crate' || parts[0] === 'super') {
        const rel = parts.slice(1);
        for (let n = rel.length; n >= 1; n--) t.suffix.push(`${rel.slice(0, n).join('/')}.rs`, `${rel.slice(0, n).join('/')}/mod.rs`);
      } else if (parts.length === 1) {
        t.exact.push(path.posix.join(dir, `${parts[0]}.rs`), path.posix.join(dir, parts[0], 'mod.rs'));
      }
      return t;
    }
    case 'java': {
      const p = spec.replace(/\./g, '/');
      if (p.endsWith('/*')) t.dirSuffix.push(p.slice(0, -2));
      else t.suffix.push(`${p}.java`);
      return t;
    }
    case 'c':
      t.exact.push(path.posix.join(dir, spec));
      t.suffix.push(spec);
      return t;
    case 'csharp': {
      // A namespace lives in a folder named after it, whole or in part: `A.B.C` in `A.B/C`, `A/B/C`, `A.B.C`.
      const parts = spec.split('.');
      for (let k = parts.length - 1; k >= 1; k--) t.dirSuffix.push(`${parts.slice(0, k).join('.')}/${parts.slice(k).join('/')}`);
      t.dirSuffix.push(spec);
      return t;
    }
    case 'ruby':
      if (spec.startsWith('.')) t.exact.push(`${path.posix.join(dir, spec)}.rb`.replace(/\.rb\.rb$/, '.rb'));
      else t.suffix.push(`${spec}.rb`);
      return t;
    case 'php':
      if (spec.includes('\\')) t.suffix.push(`${spec.split('\\').slice(1).join('/')}.php`, `${spec.split('\\').slice(-1)[0]}.php`);
      else t.exact.push(path.posix.join(dir, spec));
      return t;
    default:
      return t;
  }
}

function withExts(stem: string, exts: string[]): string[] {
  return exts.map((e) => stem + e);
}
