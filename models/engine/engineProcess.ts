/**
 * Entry point of the engine process, forked by the extension host. node-llama-cpp's native code
 * lives here only, so a crash or an out-of-memory kill ends this process and never the editor.
 *
 * One completion runs at a time and the newest request wins: a request that arrives while another
 * runs aborts it, so requests never queue behind each other.
 */
import { EngineError, type EngineErrorInfo, type EngineToHost, type FimResult, type HostToEngine, type TokenTrace } from './engineProtocol';
import { FimEngine } from './fimEngine';

function send(message: EngineToHost): void {
  process.send?.(message);
}

const engine = new FimEngine((level, message) => send({ type: 'log', level, message }));
const running = new Map<number, AbortController>();
let chain: Promise<unknown> = Promise.resolve();

/** Engine work (load, complete, unload) runs strictly one after another. */
function serial<T>(work: () => Promise<T>): Promise<T> {
  const next = chain.then(work, work);
  chain = next.catch(() => undefined);
  return next;
}

function abandoned(): FimResult {
  return {
    text: '',
    stats: {
      promptTokens: 0, evaluatedTokens: 0, generatedTokens: 0, promptMs: 0, generateMs: 0, totalMs: 0,
      aborted: true, stopReason: 'aborted', speculativeAccepted: 0, speculativeProposed: 0,
    },
  };
}

function toErrorInfo(err: unknown): EngineErrorInfo {
  if (err instanceof EngineError) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

async function handle(message: HostToEngine): Promise<void> {
  switch (message.type) {
    case 'load':
      await serial(() => engine.load(message.options)).then(
        (info) => send({ type: 'loaded', id: message.id, info }),
        (err) => send({ type: 'failed', id: message.id, error: toErrorInfo(err) }),
      );
      return;
    case 'complete': {
      for (const older of running.values()) older.abort();
      const controller = new AbortController();
      running.set(message.id, controller);
      const onText = message.request.stream ? (text: string, tokens?: TokenTrace) => send({ type: 'progress', id: message.id, text, tokens }) : undefined;
      const infoBefore = engine.modelInfo;
      const arrived = performance.now();
      let queuedMs = 0;
      // A request overtaken while it waited for its turn is answered without touching the model.
      await serial(() => {
        queuedMs = Math.round(performance.now() - arrived);
        return controller.signal.aborted ? Promise.resolve(abandoned()) : engine.complete(message.request, controller.signal, onText);
      }).then(
        (result) => send({ type: 'completed', id: message.id, result: { ...result, stats: { ...result.stats, queuedMs } } }),
        (err) => send({ type: 'failed', id: message.id, error: toErrorInfo(err) }),
      );
      // The model moved to the CPU under this request (the GPU failed): tell the host.
      if (engine.modelInfo && engine.modelInfo !== infoBefore) send({ type: 'info', info: engine.modelInfo });
      running.delete(message.id);
      return;
    }
    case 'cancel':
      running.get(message.id)?.abort();
      return;
    case 'ping':
      send({ type: 'pong', id: message.id, work: engine.tokensEvaluated });
      return;
    case 'unload':
      await serial(() => engine.unload()).then(
        () => send({ type: 'unloaded', id: message.id }),
        (err) => send({ type: 'failed', id: message.id, error: toErrorInfo(err) }),
      );
      return;
    case 'shutdown':
      for (const controller of running.values()) controller.abort();
      await serial(() => engine.unload()).catch(() => undefined);
      process.exit(0);
  }
}

process.on('message', (message: HostToEngine) => {
  handle(message).catch((err) => send({ type: 'log', level: 'error', message: `engine: ${toErrorInfo(err).message}` }));
});
// The host is gone (closed or crashed): nothing will ever ask for work again.
process.on('disconnect', () => process.exit(0));
send({ type: 'started', pid: process.pid });
