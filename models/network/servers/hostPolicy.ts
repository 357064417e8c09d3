/**
 * Which completion servers code may be sent to. Privacy is the default: loopback only. A remote
 * host is used only when the user named it in a machine-scoped setting (a workspace cannot add
 * one), only over https, and never with credentials in the URL (keys live in SecretStorage).
 * Pure logic: no lookups, no connections; the caller shows the consent modal for remote hosts.
 */

export interface ServerTarget {
  /** The URL requests go to, normalized: scheme://host:port (no path, no trailing slash). */
  origin: string;
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  loopback: boolean;
  /** Path prefix given in the URL (an OpenAI-compatible server mounted under /v1 or /api). */
  basePath: string;
}

export type HostVerdict = { ok: true; target: ServerTarget } | { ok: false; reason: string };

/** 127.0.0.0/8, ::1 and localhost (the name every OS maps to loopback). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h) ?? /^::ffff:127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!v4 && v4.slice(1).every((n) => Number(n) <= 255);
}

/**
 * Checks a server URL against the policy. `allowedRemoteHosts` are host names (or host:port)
 * from the machine-scoped setting; matching is exact and case-insensitive.
 */
export function checkServerUrl(raw: string, allowedRemoteHosts: readonly string[]): HostVerdict {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: `"${raw}" is not a URL (expected e.g. http://127.0.0.1:8080)` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `${url.protocol} is not supported: use http:// or https://` };
  if (url.username || url.password) return { ok: false, reason: 'the URL carries credentials: remove them and set the key with "Local Completion: Set Server API Key"' };
  if (url.search || url.hash) return { ok: false, reason: 'the URL must not have a query or fragment' };
  const hostname = url.hostname.toLowerCase();
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const loopback = isLoopbackHost(hostname);
  const target: ServerTarget = {
    origin: `${url.protocol}//${url.host.toLowerCase()}`, protocol: url.protocol, hostname, port, loopback,
    basePath: url.pathname.replace(/\/+$/, ''),
  };
  if (loopback) return { ok: true, target };
  const allowed = allowedRemoteHosts.map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (!allowed.includes(hostname) && !allowed.includes(`${hostname}:${port}`)) {
    return { ok: false, reason: `${hostname} is not on this machine: code is sent to other hosts only when "localCompletion.server.allowedRemoteHosts" (user settings) names it` };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: `${hostname} is a remote host: use https:// so code does not cross the network in clear text` };
  return { ok: true, target };
}

/** The key a remote host's consent is remembered under. */
export function consentKey(target: ServerTarget): string {
  return `${target.hostname}:${target.port}`;
}
