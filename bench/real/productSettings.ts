/** The product's completion settings (package.json defaults), without the live deadline: what the bench's pipeline runs with. */
import type { PipelineSettings } from '../../completion/pipelineTypes';

export const PRODUCT_SETTINGS: PipelineSettings = { maxTokens: 64, multiline: true, prefixTokens: 768, suffixTokens: 32, deadlineMs: 0 };
