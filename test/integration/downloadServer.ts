/**
 * A model host for download tests on 127.0.0.1: serves byte buffers with Range support and can
 * misbehave on purpose (drop the connection, send slowly, ignore ranges, omit the length,
 * redirect). Records every request so tests can check what the downloader asked for.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  body: Buffer;
  /** Bytes per write and the pause between writes (slow hosts, progress, cancel). */
  chunkBytes?: number;
  delayMs?: number;
  /** Close the connection after this many body bytes, for the first `dropTimes` requests. */
  dropAfterBytes?: number;
  dropTimes?: number;
  /** Answer ranged requests with the whole file (200), like a host without range support. */
  ignoreRange?: boolean;
  /** Chunked transfer: no Content-Length. */
  noLength?: boolean;
  status?: number;
  redirect?: string;
  etag?: string;
}

export interface Served {
  path: string;
  range?: string;
  ifRange?: string;
}

export interface TestServer {
  url(path: string): string;
  requests: Served[];
  close(): Promise<void>;
}

export async function startServer(routes: Record<string, Route>): Promise<TestServer> {
  const requests: Served[] = [];
  const drops = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path: urlPath, range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined });
    const route = routes[urlPath];
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    if (route.redirect) {
      res.writeHead(302, { location: route.redirect }).end();
      return;
    }
    if (route.status && route.status !== 200) {
      res.writeHead(route.status).end('error page');
      return;
    }
    const total = route.body.length;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m && !route.ignoreRange ? Number(m[1]) : 0;
    if (start > total || (start === total && total > 0)) {
      res.writeHead(416, { 'content-range': `bytes */${total}` }).end();
      return;
    }
    const slice = route.body.subarray(start);
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', etag: route.etag ?? '"v1"' };
    if (!route.noLength) headers['content-length'] = slice.length;
    if (start > 0) headers['content-range'] = `bytes ${start}-${total - 1}/${total}`;
    res.writeHead(start > 0 ? 206 : 200, headers);
    const dropsSoFar = drops.get(urlPath) ?? 0;
    const drop = route.dropAfterBytes !== undefined && dropsSoFar < (route.dropTimes ?? 1) ? route.dropAfterBytes : undefined;
    if (drop !== undefined) drops.set(urlPath, dropsSoFar + 1);
    void send(res, slice, route, drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function send(res: http.ServerResponse, data: Buffer, route: Route, dropAfter: number | undefined): Promise<void> {
  const chunk = route.chunkBytes ?? 64 * 1024;
  let sent = 0;
  while (sent < data.length) {
    if (res.destroyed) return;
    const end = Math.min(data.length, sent + chunk, dropAfter ?? Infinity);
    if (end > sent) {
      const ok = res.write(data.subarray(sent, end));
      sent = end;
      if (!ok) await new Promise((r) => res.once('drain', r));
    }
    if (dropAfter !== undefined && sent >= dropAfter) {
      // Give the bytes time to reach the client (a busy 2-core machine included), then cut the connection mid-body.
      await new Promise((r) => setTimeout(r, 300));
      res.socket?.destroy();
      return;
    }
    if (route.delayMs) await new Promise((r) => setTimeout(r, route.delayMs));
  }
  res.end();
}
