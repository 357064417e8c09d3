/** bench:editor's per-row summary of the server's own counters (what the proxy saw). */
import { percentile, round } from '../latency/stats';
import type { ServerRequestRecord } from './serverProxy';

export interface ServerSummary {
  requests: number;
  /** hung up by the client before the answer (a newer keystroke) */
  aborted: number;
  /** answered with an HTTP error (e.g. 400: a parameter the server refuses) */
  refused: number;
  promptTokensP50: number | null;
  promptTokensP95: number | null;
  promptTokensTotal: number;
  generatedTokensTotal: number;
  requestMsP50: number | null;
  extraChunksP50: number | null;
}

export function summarizeServer(records: ServerRequestRecord[]): ServerSummary {
  const done = records.filter((r) => !r.aborted && r.promptTokens !== undefined);
  const nums = (f: (r: ServerRequestRecord) => number | undefined) => done.map(f).filter((v): v is number => v !== undefined);
  const p = (v: number[], q: number) => (v.length ? round(percentile(v, q), 0) : null);
  return {
    requests: records.length,
    aborted: records.filter((r) => r.aborted).length,
    refused: records.filter((r) => r.status >= 400).length,
    promptTokensP50: p(nums((r) => r.promptTokens), 50),
    promptTokensP95: p(nums((r) => r.promptTokens), 95),
    promptTokensTotal: nums((r) => r.promptTokens).reduce((a, b) => a + b, 0),
    generatedTokensTotal: nums((r) => r.generatedTokens).reduce((a, b) => a + b, 0),
    requestMsP50: p(done.map((r) => r.durationMs), 50),
    extraChunksP50: p(nums((r) => r.extraChunks), 50),
  };
}
