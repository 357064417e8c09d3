/**
 * FIM prompts as text, for servers that take a raw prompt (OpenAI-compatible /v1/completions,
 * Ollama with `raw`). The prompt is built by the engine's own builder (models/engine/fimPrompt.ts),
 * fed with the model family's FIM token strings and a text splitter standing in for the tokenizer,
 * so snippets, repo-level layout and budgets follow the same rules as the built-in engine.
 */
import { buildFimPrompt, type FimTokens } from '../../engine/fimPrompt';
import type { FimRequest } from '../../engine/engineProtocol';

export interface FimFamily {
  name: string;
  prefix: string;
  suffix: string;
  middle: string;
  repoName?: string;
  fileSep?: string;
  /** Text that ends a completion besides the server's own end of generation. */
  stops: string[];
}

export const FIM_FAMILIES: readonly FimFamily[] = [
  { name: 'qwen', prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>', repoName: '<|repo_name|>', fileSep: '<|file_sep|>', stops: ['<|endoftext|>', '<|file_sep|>', '<|fim_pad|>', '<|repo_name|>'] },
  { name: 'starcoder', prefix: '<fim_prefix>', suffix: '<fim_suffix>', middle: '<fim_middle>', repoName: '<reponame>', fileSep: '<file_sep>', stops: ['<|endoftext|>', '<file_sep>'] },
  { name: 'deepseek', prefix: '<｜fim▁begin｜>', suffix: '<｜fim▁hole｜>', middle: '<｜fim▁end｜>', stops: ['<｜end▁of▁sentence｜>', '<|EOT|>'] },
  { name: 'codegemma', prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>', stops: ['<|file_separator|>', '<eos>'] },
  { name: 'codellama', prefix: '<PRE> ', suffix: ' <SUF>', middle: ' <MID>', stops: ['<EOT>', '</s>'] },
];

export function familyNamed(name: string): FimFamily | undefined {
  return FIM_FAMILIES.find((f) => f.name === name.trim().toLowerCase());
}

/** Word, run of spaces or single symbol: close enough to a BPE token count for the budgets. */
const PIECE = /[\p{L}\p{N}_]+|[^\S\n]+|\n|[^\p{L}\p{N}_\s]/gu;

/** The prompt text for this request in the family's FIM format. */
export function fimPromptText(family: FimFamily, request: FimRequest): string {
  const pieces: string[] = [];
  const ids = new Map<string, number>();
  const intern = (s: string) => {
    let id = ids.get(s);
    if (id === undefined) { id = pieces.length; pieces.push(s); ids.set(s, id); }
    return id;
  };
  // Special strings get ids of their own that plain text can never produce (no piece matches them whole).
  const special = (s: string) => { pieces.push(s); return pieces.length - 1; };
  const tokens: FimTokens = {
    prefix: special(family.prefix), suffix: special(family.suffix), middle: special(family.middle),
    ...(family.repoName && family.fileSep ? { repoName: special(family.repoName), fileSep: special(family.fileSep) } : {}),
  };
  const tokenize = (text: string) => (text.match(PIECE) ?? []).map(intern);
  const room = request.maxPrefixTokens + request.maxSuffixTokens + (request.maxContextTokens ?? 0) + request.maxTokens + 64;
  return buildFimPrompt(tokenize, tokens, request, room).tokens.map((t) => pieces[t]).join('');
}

/** The family whose FIM prefix is one token of this model's vocabulary, given a tokenizer. */
export async function detectFamily(tokenCount: (text: string) => Promise<number | undefined>): Promise<FimFamily | undefined> {
  for (const family of FIM_FAMILIES) {
    if (family.name === 'codegemma' || family.name === 'codellama') continue; // same tokens as qwen / no single-token markers
    const [p, m] = await Promise.all([tokenCount(family.prefix), tokenCount(family.middle)]);
    if (p === undefined) return undefined;
    if (p === 1 && m === 1) return family;
  }
  return undefined;
}
