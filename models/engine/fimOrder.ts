/**
 * Which FIM order a model gets: suffix-prefix-middle (SPM) only where the GGUF says the model was
 * trained on it and names exactly the layout built here (models/training/exportGguf.ts writes both
 * keys); everything else gets PSM (anchored, fimPrompt.ts), which already costs ~1 token per
 * keystroke. No family list: the CodeGemma report and the StarCoder2 paper say both orders were
 * trained, but neither documents the SPM token order, and implementations differ (bigcode's
 * Megatron-LM: `<PRE><SUF>suffix<MID>prefix`; gpt-neox: `<SUF>suffix<PRE>prefix<MID>`).
 */

export const FIM_ORDERS_KEY = 'lcc.fim.orders';
export const FIM_SPM_LAYOUT_KEY = 'lcc.fim.spm_layout';
/** The FIM paper's SPM variant: prefix and middle contiguous after the middle token. */
export const SPM_LAYOUT = '<|fim_prefix|><|fim_suffix|>{suffix}<|fim_middle|>{prefix}';

export type FimOrder = 'psm' | 'spm';

/** The order to prompt a model with, from its GGUF metadata (node-llama-cpp nests keys by dots). */
export function fimOrderOf(metadata: unknown): FimOrder {
  const value = (key: string): unknown => key.split('.').reduce<unknown>((node, part) =>
    (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), metadata);
  const orders = String(value(FIM_ORDERS_KEY) ?? '').split(',').map((o) => o.trim());
  return orders.includes('spm') && value(FIM_SPM_LAYOUT_KEY) === SPM_LAYOUT ? 'spm' : 'psm';
}
