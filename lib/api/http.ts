// The HTTP side of the API: JSON replies, request bodies read with a size limit, query values, and
// the one place a PmanError becomes a status code and Docker's {"message": …} body.
import type http from 'node:http';
import { PmanError } from '../errors.js';

/** Bodies larger than this are refused (413) before they are read whole (image load and archive put stream instead). */
export const MAX_JSON_BODY = 4 * 1024 * 1024;

/** An error with the HTTP status it is answered with. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: http.ServerResponse, status = 204): void {
  res.writeHead(status);
  res.end();
}

/** Docker's status for an error: 404 not found, 409 conflict or wrong state, 400 bad input, 500 the rest. */
export function statusOf(err: unknown): number {
  if (err instanceof ApiError) return err.status;
  if (err instanceof PmanError) {
    switch (err.code) {
      case 'not-found':
        return 404;
      case 'conflict':
      case 'invalid-state':
        return 409;
      case 'invalid-argument':
        return 400;
      default:
        return 500;
    }
  }
  return 500;
}

export function sendError(res: http.ServerResponse, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, statusOf(err), { message });
}

/** Reads the whole body (at most `limit` bytes, else 413). */
export function readBody(req: http.IncomingMessage, limit = MAX_JSON_BODY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new ApiError(413, `request body of ${declared} bytes is larger than the ${limit} bytes allowed`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new ApiError(413, `request body is larger than the ${limit} bytes allowed`));
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The body as a JSON object ({} when empty); anything else is a 400. */
export async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  if (body.length === 0) return {};
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new ApiError(400, `invalid JSON in request body: ${(err as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ApiError(400, 'invalid request body: expected a JSON object');
  return v as Record<string, unknown>;
}

/** Docker's boolean query values: 1/true/True are true, 0/false/empty false. */
export function qBool(q: URLSearchParams, name: string, dflt = false): boolean {
  const v = q.get(name);
  if (v === null) return dflt;
  return v === '1' || v.toLowerCase() === 'true';
}

export function qInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new ApiError(400, `invalid query parameter ${name}="${v}": expected an integer`);
  return n;
}

/** Docker's filters parameter: {"name": ["a"], "label": {"k=v": true}} → ["name=a", "label=k=v"]. */
export function qFilters(q: URLSearchParams): string[] {
  const raw = q.get('filters');
  if (!raw) return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new ApiError(400, `invalid filters "${raw}": expected JSON`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ApiError(400, `invalid filters "${raw}": expected a JSON object`);
  const out: string[] = [];
  for (const [key, val] of Object.entries(v as Record<string, unknown>)) {
    const values = Array.isArray(val) ? val : val && typeof val === 'object' ? Object.keys(val).filter((k) => (val as Record<string, unknown>)[k]) : [];
    for (const x of values) out.push(`${key}=${String(x)}`);
  }
  return out;
}

/** A string field of a request body (undefined when absent, 400 when of another type). */
export function str(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ApiError(400, `invalid ${key}: expected a string`);
  return v;
}

export function strList(body: Record<string, unknown>, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ApiError(400, `invalid ${key}: expected a list of strings`);
  return v as string[];
}

export function obj(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = body[key];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ApiError(400, `invalid ${key}: expected an object`);
  return v as Record<string, unknown>;
}
