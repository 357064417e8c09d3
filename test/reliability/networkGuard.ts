/**
 * Test-only network guard: patches every way a Node process can reach the network (net, tls, dns,
 * dgram, http, https, http2, fetch) so a call records a violation and fails at once.
 *
 * Two ways in:
 *  - `install()` in the test process itself;
 *  - `NODE_OPTIONS=--require <this file>` with LCC_NET_GUARD set, for processes the code under test
 *    forks (the engine inherits the environment): nothing in product code knows about it.
 * Environment: LCC_NET_GUARD=block|record (record: log, let the call through; for the extension
 * host, where VS Code's own code runs too), LCC_NET_GUARD_LOG (a file each process appends its
 * violations and an "installed" line to, as JSON lines), LCC_NET_GUARD_SCRIPTS (a regex: install
 * only in processes whose main script matches, e.g. only the engine of all the host's children).
 *
 * Native code that opens sockets itself is out of its reach: the strace and network-namespace
 * scenarios cover that.
 */
// `import x = require()`: the module objects themselves (an `import * as` namespace is a read-only copy).
import dgram = require('node:dgram');
import dns = require('node:dns');
import fs = require('node:fs');
import http = require('node:http');
import http2 = require('node:http2');
import https = require('node:https');
import nodeModule = require('node:module');
import net = require('node:net');
import tls = require('node:tls');

export interface Violation {
  api: string;
  target: string;
  pid: number;
  script: string;
  stack: string;
  /** Blocked (the call threw) or only recorded. */
  blocked: boolean;
}

export interface GuardOptions {
  /** 'record' lets calls through (and still records them). Default 'block'. */
  mode?: 'block' | 'record';
  /** Append violations (JSON lines) here. */
  logFile?: string;
  /** Block only calls whose stack matches (others are recorded, never blocked). */
  blockIf?: (stack: string) => boolean;
}

export class NetworkBlockedError extends Error {
  readonly code = 'ENETGUARD';
  constructor(api: string, target: string) {
    super(`network guard: ${api}(${target}) attempted in a test that must stay offline`);
    this.name = 'NetworkBlockedError';
  }
}

export const violations: Violation[] = [];
const restores: Array<() => void> = [];
let options: GuardOptions = {};

export function isInstalled(): boolean {
  return restores.length > 0;
}

export function install(o: GuardOptions = {}): void {
  options = o;
  if (isInstalled()) return;
  patch(net.Socket.prototype, 'connect', 'net.Socket.connect', socketTarget);
  patch(net, 'connect', 'net.connect', socketTarget);
  patch(net, 'createConnection', 'net.createConnection', socketTarget);
  patch(tls, 'connect', 'tls.connect', socketTarget);
  patch(dgram.Socket.prototype, 'send', 'dgram.send', dgramTarget);
  patch(dgram.Socket.prototype, 'connect', 'dgram.connect', dgramTarget);
  for (const m of [http, https] as const) {
    const name = m === http ? 'http' : 'https';
    patch(m, 'request', `${name}.request`, requestTarget);
    patch(m, 'get', `${name}.get`, requestTarget);
  }
  patch(http2, 'connect', 'http2.connect', requestTarget);
  for (const key of DNS_FUNCTIONS) {
    patch(dns, key, `dns.${key}`, firstArg);
    patch(dns.promises, key, `dns.promises.${key}`, firstArg, true);
    patch(dns.Resolver.prototype, key, `dns.Resolver.${key}`, firstArg);
    patch(dns.promises.Resolver.prototype, key, `dns.promises.Resolver.${key}`, firstArg, true);
  }
  if (typeof globalThis.fetch === 'function') patch(globalThis, 'fetch', 'fetch', requestTarget, true);
  if (typeof (globalThis as Record<string, unknown>).WebSocket === 'function') patch(globalThis, 'WebSocket', 'WebSocket', firstArg);
  // ESM code (node-llama-cpp is ESM) that imported named exports sees the patched functions too.
  nodeModule.syncBuiltinESMExports();
  note({ event: 'installed', pid: process.pid, script: process.argv[1] ?? '' });
}

export function uninstall(): void {
  while (restores.length) restores.pop()!();
  nodeModule.syncBuiltinESMExports();
}

/** Reads a guard log written by this and other processes. */
export function readGuardLog(file: string): Array<{ event: 'installed' | 'violation'; pid: number; script: string } & Partial<Violation>> {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const DNS_FUNCTIONS = [
  'lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx',
  'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse',
];

type Describe = (args: unknown[]) => string;

function patch(owner: object, key: string, api: string, describe: Describe, asPromise = false): void {
  const target = owner as Record<string, unknown>;
  const original = target[key] as (...args: unknown[]) => unknown;
  if (typeof original !== 'function') return;
  const guarded = function (this: unknown, ...args: unknown[]): unknown {
    const blocked = check(api, describe(args));
    if (blocked) {
      if (asPromise) return Promise.reject(blocked);
      throw blocked;
    }
    return new.target ? Reflect.construct(original, args, new.target) : original.apply(this, args);
  };
  Object.defineProperty(guarded, 'name', { value: original.name });
  target[key] = guarded;
  restores.push(() => { target[key] = original; });
}

/** Records the call; returns the error to fail it with, or undefined to let it through. */
function check(api: string, target: string): NetworkBlockedError | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = (new Error().stack ?? '').split('\n').slice(3).join('\n');
  Error.stackTraceLimit = limit;
  const block = (options.mode ?? 'block') === 'block' && (!options.blockIf || options.blockIf(stack));
  const v: Violation = { api, target, pid: process.pid, script: process.argv[1] ?? '', stack, blocked: block };
  violations.push(v);
  note({ event: 'violation', ...v });
  return block ? new NetworkBlockedError(api, target) : undefined;
}

function note(entry: object): void {
  const file = options.logFile;
  if (file) fs.appendFileSync(file, JSON.stringify(entry) + '\n');
}

function socketTarget(args: unknown[]): string {
  const a = args[0];
  if (Array.isArray(a)) return socketTarget(a);
  if (a && typeof a === 'object') {
    const o = a as { path?: string; host?: string; port?: number };
    return o.path ?? `${o.host ?? 'localhost'}:${o.port ?? ''}`;
  }
  return typeof args[1] === 'string' ? `${args[1]}:${String(a)}` : String(a);
}

function dgramTarget(args: unknown[]): string {
  return args.filter((a) => typeof a === 'number' || typeof a === 'string').map(String).join(' ') || 'connected socket';
}

function requestTarget(args: unknown[]): string {
  const a = args[0];
  if (typeof a === 'string') return a;
  if (a instanceof URL) return a.href;
  if (a && typeof a === 'object') {
    const o = a as { url?: string; host?: string; hostname?: string; port?: number; path?: string };
    return o.url ?? `${o.hostname ?? o.host ?? 'localhost'}${o.port ? `:${o.port}` : ''}${o.path ?? ''}`;
  }
  return String(a);
}

function firstArg(args: unknown[]): string {
  return String(args[0]);
}

// Loaded with --require (NODE_OPTIONS) in a process the test forks: install from the environment.
const envMode = process.env.LCC_NET_GUARD;
if (envMode === 'block' || envMode === 'record') {
  const only = process.env.LCC_NET_GUARD_SCRIPTS;
  if (!only || new RegExp(only).test(process.argv[1] ?? '')) {
    install({ mode: envMode, logFile: process.env.LCC_NET_GUARD_LOG || undefined });
  }
}
