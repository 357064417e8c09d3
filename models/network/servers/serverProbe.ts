/**
 * Finds completion servers on this machine's default loopback ports, for Switch Model (and only
 * when the user opens it): Ollama (11434, /api/tags), LM Studio (1234, /v1/models) and llama-server
 * (8080, /v1/models). Loopback only, short timeouts: a port with nothing on it answers at once.
 */
import { checkServerUrl } from './hostPolicy';
import { requestJson } from './httpStream';
import type { BackendKind } from './wireFormats';

export interface ServerModel {
  server: 'Ollama' | 'LM Studio' | 'llama-server';
  backend: BackendKind;
  url: string;
  model: string;
}

export interface ProbePort { server: ServerModel['server']; backend: BackendKind; url: string; path: string }

export const DEFAULT_PORTS: readonly ProbePort[] = [
  { server: 'Ollama', backend: 'ollama', url: 'http://127.0.0.1:11434', path: '/api/tags' },
  { server: 'LM Studio', backend: 'openai', url: 'http://127.0.0.1:1234', path: '/v1/models' },
  { server: 'llama-server', backend: 'llama-server', url: 'http://127.0.0.1:8080', path: '/v1/models' },
];

/** Every model the servers on these ports serve; a port that does not answer lists nothing. */
export async function probeServers(ports: readonly ProbePort[] = DEFAULT_PORTS, timeoutMs = 800): Promise<ServerModel[]> {
  const lists = await Promise.all(ports.map(async (p) => {
    const verdict = checkServerUrl(p.url, []);
    if (!verdict.ok) return [];
    try {
      const body = await requestJson<{ models?: Array<{ name?: string; model?: string }>; data?: Array<{ id?: string }> }>(
        verdict.target, { method: 'GET', path: p.path, connectTimeoutMs: 300, totalTimeoutMs: timeoutMs });
      const names = [...(body.models ?? []).map((m) => m.name ?? m.model), ...(body.data ?? []).map((m) => m.id)];
      // llama-server lists its model under both `models` and `data`.
      return [...new Set(names.filter((n): n is string => !!n))].map((model) => ({ server: p.server, backend: p.backend, url: p.url, model }));
    } catch {
      return [];
    }
  }));
  return lists.flat();
}
