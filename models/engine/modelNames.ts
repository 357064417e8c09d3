/**
 * Display names for model files whose file name says nothing, such as Ollama's weight blobs
 * (`sha256-<hex>`): the picker records the name the owning tool uses ("qwen2.5-coder:1.5b-base")
 * so the status bar and messages show that instead.
 */
const names = new Map<string, string>();

export function setModelDisplayName(modelPath: string, name: string): void {
  names.set(modelPath, name);
}

export function modelDisplayName(modelPath: string): string | undefined {
  return names.get(modelPath);
}

/** All recorded names, to persist them across restarts. */
export function allModelDisplayNames(): Record<string, string> {
  return Object.fromEntries(names);
}

export function isOpaqueFileName(baseName: string): boolean {
  return /^sha256[-:][0-9a-f]{64}$/i.test(baseName);
}
