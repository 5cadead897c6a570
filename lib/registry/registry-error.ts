// Failures talking to a registry, as one error type with a kind callers branch on (a short name
// tries the next registry on "not-found"/"unreachable"/"auth"; --pull=newer falls back to the local
// image when the registry is unreachable). Messages quote the registry's own error codes.
import { PmanError, type ErrorCode } from '../errors.js';
import type { HttpResponse } from './http.js';

export type RegistryErrorKind = 'unreachable' | 'auth' | 'denied' | 'not-found' | 'invalid' | 'server';

export class RegistryError extends PmanError {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    const code: ErrorCode = kind === 'not-found' ? 'not-found' : kind === 'invalid' ? 'invalid-argument' : 'system';
    super(code, message, { cause: options?.cause });
    this.name = 'RegistryError';
    this.status = options?.status;
  }
  readonly status?: number;
}

interface ErrorItem {
  code?: unknown;
  message?: unknown;
}

/** "MANIFEST_UNKNOWN: manifest unknown" from a registry's JSON error body (first two errors). */
export async function errorDetail(res: HttpResponse): Promise<string> {
  let text = '';
  try {
    for await (const chunk of res.body) {
      text += String(chunk);
      if (text.length > 64 * 1024) {
        res.body.destroy();
        return '';
      }
    }
  } catch {
    return '';
  }
  try {
    const doc = JSON.parse(text) as { errors?: ErrorItem[] };
    const items = Array.isArray(doc.errors) ? doc.errors : [];
    return items
      .slice(0, 2)
      .map((e) => [e.code, e.message].filter((x) => typeof x === 'string' && x !== '').join(': '))
      .filter(Boolean)
      .join('; ');
  } catch {
    return '';
  }
}

export function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    416: 'Range Not Satisfiable',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
  };
  return `${status}${texts[status] ? ` ${texts[status]}` : ''}`;
}

/** A RegistryError for an unexpected status, with the registry's error codes when it sent any. */
export async function unexpectedStatus(res: HttpResponse, action: string): Promise<RegistryError> {
  const detail = await errorDetail(res);
  const kind: RegistryErrorKind =
    res.status === 404 ? 'not-found' : res.status === 401 ? 'auth' : res.status === 403 ? 'denied' : res.status >= 500 ? 'server' : 'invalid';
  return new RegistryError(kind, `${action}: ${statusText(res.status)}${detail ? ` (${detail})` : ''}`, { status: res.status });
}
