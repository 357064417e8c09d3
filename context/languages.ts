/**
 * What the context layer knows about each language: which grammar parses it, which tags queries
 * find its definitions, how it writes a line comment, and which file extensions it owns.
 * VS Code language ids are the keys; documents in other languages get plain-text context.
 */

export interface LanguageSpec {
  /** Grammar package and the .wasm file inside it. */
  grammarPackage: string;
  wasm: string;
  /** Tags queries (package/queries/tags.scm), applied in order; TypeScript reuses JavaScript's. */
  tagsFrom: string[];
  lineComment: string;
  /** Blocks are delimited by indentation (Python) rather than brackets. */
  indentBlocks?: boolean;
}

const ts = 'tree-sitter-typescript';
const js = 'tree-sitter-javascript';

export const LANGUAGES: Record<string, LanguageSpec> = {
  typescript: { grammarPackage: ts, wasm: 'tree-sitter-typescript.wasm', tagsFrom: [js, ts], lineComment: '//' },
  typescriptreact: { grammarPackage: ts, wasm: 'tree-sitter-tsx.wasm', tagsFrom: [js, ts], lineComment: '//' },
  javascript: { grammarPackage: js, wasm: 'tree-sitter-javascript.wasm', tagsFrom: [js], lineComment: '//' },
  javascriptreact: { grammarPackage: js, wasm: 'tree-sitter-javascript.wasm', tagsFrom: [js], lineComment: '//' },
  python: { grammarPackage: 'tree-sitter-python', wasm: 'tree-sitter-python.wasm', tagsFrom: ['tree-sitter-python'], lineComment: '#', indentBlocks: true },
  go: { grammarPackage: 'tree-sitter-go', wasm: 'tree-sitter-go.wasm', tagsFrom: ['tree-sitter-go'], lineComment: '//' },
  rust: { grammarPackage: 'tree-sitter-rust', wasm: 'tree-sitter-rust.wasm', tagsFrom: ['tree-sitter-rust'], lineComment: '//' },
  java: { grammarPackage: 'tree-sitter-java', wasm: 'tree-sitter-java.wasm', tagsFrom: ['tree-sitter-java'], lineComment: '//' },
  c: { grammarPackage: 'tree-sitter-c', wasm: 'tree-sitter-c.wasm', tagsFrom: ['tree-sitter-c'], lineComment: '//' },
  cpp: { grammarPackage: 'tree-sitter-cpp', wasm: 'tree-sitter-cpp.wasm', tagsFrom: ['tree-sitter-cpp'], lineComment: '//' },
  csharp: { grammarPackage: 'tree-sitter-c-sharp', wasm: 'tree-sitter-c_sharp.wasm', tagsFrom: ['tree-sitter-c-sharp'], lineComment: '//' },
  ruby: { grammarPackage: 'tree-sitter-ruby', wasm: 'tree-sitter-ruby.wasm', tagsFrom: ['tree-sitter-ruby'], lineComment: '#' },
  php: { grammarPackage: 'tree-sitter-php', wasm: 'tree-sitter-php.wasm', tagsFrom: ['tree-sitter-php'], lineComment: '//' },
};

/** Line comment markers of common languages without a grammar here (snippets shown as comments). */
const OTHER_LINE_COMMENTS: Record<string, string> = {
  shellscript: '#', yaml: '#', toml: '#', perl: '#', r: '#', lua: '--', sql: '--', haskell: '--',
  kotlin: '//', swift: '//', scala: '//', dart: '//', zig: '//', fsharp: '//', groovy: '//',
};

const EXTENSIONS: Record<string, string> = {
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact',
  '.py': 'python', '.pyi': 'python', '.go': 'go', '.rs': 'rust', '.java': 'java',
  '.c': 'c', '.h': 'c', '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.hh': 'cpp', '.hxx': 'cpp',
  '.cs': 'csharp', '.rb': 'ruby', '.php': 'php',
};

export function languageSpec(languageId: string): LanguageSpec | undefined {
  return LANGUAGES[languageId];
}

export function lineCommentOf(languageId: string): string | undefined {
  return LANGUAGES[languageId]?.lineComment ?? OTHER_LINE_COMMENTS[languageId];
}

/** Language id of a file path by its extension, for files the workspace index reads from disk. */
export function languageOfPath(filePath: string): string | undefined {
  const dot = filePath.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[filePath.slice(dot).toLowerCase()];
}

/** Languages that share a namespace: a .ts file may import a .js one, C and C++ share headers. */
export function languageFamily(languageId: string): string {
  if (languageId.startsWith('typescript') || languageId.startsWith('javascript')) return 'js';
  if (languageId === 'c' || languageId === 'cpp') return 'c';
  return languageId;
}
