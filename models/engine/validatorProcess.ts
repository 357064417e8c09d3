/**
 * Entry point of the short-lived model validator process (dist/validator.js), forked by the host
 * for each batch of files to check. node-llama-cpp's GGUF reader and native binding run here, so
 * a file that crashes the reader (an abort in fs.read from a length read out of the file, a heap
 * exhausted by a huge array count) ends this process only, never the extension host. Answers one
 * message per file, in order, then exits.
 */
import { EngineError } from './engineProtocol';
import { validateModelFile } from './modelValidation';
import type { HostToValidator, ValidatorToHost } from './validatorClient';

function send(message: ValidatorToHost): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

async function validate(paths: readonly string[], raw: boolean): Promise<void> {
  for (let index = 0; index < paths.length; index++) {
    try {
      // No Llama passed: node-llama-cpp shares one binding without a backend (no GPU init).
      const facts = await validateModelFile(paths[index], undefined, { structureCheck: !raw });
      await send({ type: 'result', index, facts });
    } catch (err) {
      const error = err instanceof EngineError
        ? { code: err.code, message: err.message }
        : { code: 'model-not-gguf' as const, message: `${paths[index]} could not be read as a GGUF model (${err instanceof Error ? err.message : String(err)}). Download the model again or choose another file.` };
      await send({ type: 'result', index, error });
    }
  }
  await send({ type: 'done' });
  process.exit(0);
}

process.on('message', (message: HostToValidator) => {
  if (message.type === 'validate') void validate(message.paths, message.raw === true);
});
// The host went away: nobody will read the answers.
process.on('disconnect', () => process.exit(0));
void send({ type: 'ready' });
