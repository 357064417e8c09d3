/**
 * Which workspace paths the index skips: dependency, build and VCS folders by name, and the
 * patterns of .gitignore files met on the way down (the common subset: globs, `**`, anchoring
 * with a leading `/`, directory-only with a trailing `/`; negations are ignored, which only
 * means a re-included file stays out of the index).
 */

const SKIP_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', 'target', 'vendor', 'bower_components',
  '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache', '.pytest_cache', '.next', '.nuxt', 'coverage',
  '.cache', 'obj', '.idea', '.vscode-test', '.gradle', 'Pods', 'third_party', 'site-packages',
]);

const SKIP_FILE = /(\.min\.(js|css)|\.bundle\.js|[-.]generated\.\w+|\.pb\.go|_pb2\.py|\.designer\.cs)$/i;

export function skipDirName(name: string): boolean {
  return SKIP_DIRS.has(name) || (name.startsWith('.') && name.length > 1);
}

export function skipFileName(name: string): boolean {
  return SKIP_FILE.test(name);
}

interface Rule {
  re: RegExp;
  dirOnly: boolean;
}

/** Patterns of one .gitignore, matched against paths relative to its folder. */
export class GitIgnore {
  private readonly rules: Rule[] = [];

  constructor(readonly base: string, source: string) {
    for (const raw of source.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith('!')) continue;
      const dirOnly = line.endsWith('/');
      const body = line.replace(/\/+$/, '');
      const anchored = body.includes('/');
      this.rules.push({ re: globToRegExp(body.replace(/^\//, ''), anchored), dirOnly });
    }
  }

  /** `rel` is relative to this file's folder, '/'-separated. */
  ignores(rel: string, isDir: boolean): boolean {
    return this.rules.some((r) => (!r.dirOnly || isDir) && r.re.test(rel));
  }
}

function globToRegExp(glob: string, anchored: boolean): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(anchored ? `^${re}$` : `(?:^|/)${re}$`);
}
