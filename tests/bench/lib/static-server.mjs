// A tiny static file server on 127.0.0.1 for the baseline pages and the npm
// libraries they load. Like the emulator's static files, nothing is sent with
// caching headers, so a repeat visit re-downloads pages and scripts for every
// contender alike; only the feed (from the emulator) is revalidated.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/**
 * Serves `routes` (a URL path prefix ending in `/` → folder, any other URL
 * path → file) and
 * resolves to `{ origin, close() }` once listening on a free port.
 */
export function serveStatic(routes) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const file = resolve(routes, path);
    try {
      if (!file || request.method !== 'GET') throw new Error('not found');
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length });
      response.end(body);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not found');
    }
  });
  return new Promise((resolvePromise) => {
    server.listen(0, '127.0.0.1', () => {
      resolvePromise({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

/** The file for a URL path, never outside the routed folders. */
function resolve(routes, path) {
  if (!path.endsWith('/') && routes[path]) return routes[path];
  for (const [prefix, folder] of Object.entries(routes)) {
    if (!prefix.endsWith('/') || !path.startsWith(prefix)) continue;
    const relative = normalize(path.slice(prefix.length));
    if (relative.startsWith('..') || relative.includes('\0')) return null;
    return join(folder, relative);
  }
  return null;
}
