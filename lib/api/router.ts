// Routes an API request to its handler: strips the optional /vNN.NN prefix, matches method and
// path, and answers unknown endpoints with a 404 in Docker's error shape.
import type { Call } from './call.js';

export type Handler = (call: Call) => Promise<void>;

export interface Route {
  method: string;
  /** Path pattern: {x} is one segment, {x*} the rest up to the next literal (image names have slashes). */
  pattern: RegExp;
  handler: Handler;
}

/** The API version pman speaks (Docker 20.10's), and the oldest a client may ask for. */
export const API_VERSION = '1.41';
export const MIN_API_VERSION = '1.24';

export function route(method: string, path: string, handler: Handler): Route {
  const re = path
    .split('/')
    .map((seg) => {
      if (/^\{\w+\*\}$/.test(seg)) return '(.+)';
      if (/^\{\w+\}$/.test(seg)) return '([^/]+)';
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { method, pattern: new RegExp(`^${re}$`), handler };
}

/** The path without its version prefix, and the version asked for (undefined: the current one). */
export function splitVersion(pathname: string): { path: string; version?: string } {
  const m = /^\/v([0-9]+\.[0-9]+)(\/.*)$/.exec(pathname);
  return m ? { path: m[2], version: m[1] } : { path: pathname };
}

export function findRoute(routes: Route[], method: string, path: string): { route: Route; params: string[] } | { allowed: string[] } | undefined {
  const allowed: string[] = [];
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.method === method || (method === 'HEAD' && r.method === 'GET')) return { route: r, params: m.slice(1).map(decodeURIComponent) };
    allowed.push(r.method);
  }
  return allowed.length > 0 ? { allowed } : undefined;
}
