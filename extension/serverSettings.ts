/**
 * The completion-server settings, the host policy applied to them, the one-time consent for a
 * remote host, and the API key in SecretStorage. Every server setting is machine-scoped and read
 * from user values only, so a workspace can never send code to a server of its choosing.
 */
import * as vscode from 'vscode';
import { checkServerUrl, consentKey, type ServerTarget } from '../models/network/servers/hostPolicy';
import type { ServerConfig } from '../models/network/servers/serverBackend';
import type { BackendKind } from '../models/network/servers/wireFormats';
import { SECTION } from './settings';

export type BackendSetting = 'builtin' | BackendKind;

export const DEFAULT_URLS: Record<BackendKind, string> = {
  'llama-server': 'http://127.0.0.1:8080',
  ollama: 'http://127.0.0.1:11434',
  openai: 'http://127.0.0.1:1234',
};

const CONSENT_STATE = 'serverConsent';

function userValue<T>(key: string): T | undefined {
  const v = vscode.workspace.getConfiguration(SECTION).inspect<T>(key);
  return (v?.globalValue ?? v?.defaultValue) as T | undefined;
}

export function readBackend(): BackendSetting {
  const v = userValue<string>('backend');
  return v === 'llama-server' || v === 'ollama' || v === 'openai' ? v : 'builtin';
}

export type ServerSettings = { ok: true; config: ServerConfig; key: string } | { ok: false; reason: string; url: string };

/** The server to use for a server backend, or why none may be used. */
export async function readServerSettings(kind: BackendKind, secrets: vscode.SecretStorage): Promise<ServerSettings> {
  const url = (userValue<string>('server.url') ?? '').trim() || DEFAULT_URLS[kind];
  const verdict = checkServerUrl(url, userValue<string[]>('server.allowedRemoteHosts') ?? []);
  if (!verdict.ok) return { ok: false, reason: verdict.reason, url };
  const model = (userValue<string>('server.model') ?? '').trim() || undefined;
  if (kind === 'ollama' && !model) return { ok: false, reason: 'Ollama needs a model name: pick one in Switch Model or set localCompletion.server.model', url };
  // Unset (no default from the manifest either): the backend's own DEFAULT_TIMEOUT_MS.
  const timeout = userValue<number>('server.timeoutMs');
  const apiKey = await secrets.get(secretName(verdict.target));
  const config: ServerConfig = {
    kind, target: verdict.target, model, family: userValue<string>('server.modelFamily') ?? 'auto', apiKey,
    limits: timeout === undefined ? {} : { totalTimeoutMs: Math.max(500, timeout) },
  };
  return { ok: true, config, key: JSON.stringify({ ...config, apiKey: apiKey ? 'set' : '' }) };
}

export function secretName(target: ServerTarget): string {
  return `localCompletion.serverApiKey:${target.origin}`;
}

/**
 * Loopback needs no consent. A remote host is used only after the user accepted, in a modal, that
 * code will be sent to it; the answer is remembered per host:port.
 */
export async function consentTo(target: ServerTarget, state: vscode.Memento): Promise<boolean> {
  if (target.loopback) return true;
  const given = state.get<string[]>(CONSENT_STATE, []);
  if (given.includes(consentKey(target))) return true;
  const send = 'Send Code to This Host';
  const answer = await vscode.window.showWarningMessage(
    `Send code to ${target.hostname}?`,
    { modal: true, detail: `Completions will send the code around your cursor (and snippets of related files) to ${target.origin} and nowhere else. ` +
      'Nothing is sent until you accept; the built-in engine keeps everything on this machine.' },
    send,
  );
  if (answer !== send) return false;
  await state.update(CONSENT_STATE, [...given, consentKey(target)]);
  return true;
}

/** "Local Completion: Set Server API Key": stored in SecretStorage for the configured server's origin. */
export async function setServerApiKey(secrets: vscode.SecretStorage): Promise<boolean> {
  const kind = readBackend();
  const url = (userValue<string>('server.url') ?? '').trim() || (kind === 'builtin' ? '' : DEFAULT_URLS[kind]);
  const verdict = url ? checkServerUrl(url, userValue<string[]>('server.allowedRemoteHosts') ?? []) : undefined;
  if (!verdict?.ok) {
    void vscode.window.showWarningMessage(`Set localCompletion.backend and localCompletion.server.url first${verdict && !verdict.ok ? `: ${verdict.reason}` : ''}.`);
    return false;
  }
  const key = await vscode.window.showInputBox({
    title: `API key for ${verdict.target.origin}`, prompt: 'Kept in VS Code\'s secret storage, sent only to this server. Empty removes it.',
    password: true, ignoreFocusOut: true,
  });
  if (key === undefined) return false;
  if (key.trim()) await secrets.store(secretName(verdict.target), key.trim());
  else await secrets.delete(secretName(verdict.target));
  return true;
}

export async function setBackend(kind: BackendSetting, url?: string, model?: string): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION);
  await c.update('backend', kind, vscode.ConfigurationTarget.Global);
  if (url !== undefined) await c.update('server.url', url, vscode.ConfigurationTarget.Global);
  if (model !== undefined) await c.update('server.model', model, vscode.ConfigurationTarget.Global);
}
