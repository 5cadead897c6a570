// `--log-opt KEY=VALUE` (run/create): parsed and checked once at create, so that a bad value is an
// error before anything exists and the shim never meets one. Keys and units follow podman.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { LogOptions } from '../state/container-record.js';

export interface ParsedLogOptions {
  opts: LogOptions;
  /** --log-opt path=…: the log file instead of <container dir>/ctr.log. */
  path?: string;
}

const KEYS = ['max-size', 'max-file', 'path', 'tag'];

/** Parses the --log-opt values given (each KEY=VALUE); a later key wins, as with podman. */
export function parseLogOptions(values: string[]): ParsedLogOptions {
  const out: ParsedLogOptions = { opts: {} };
  for (const value of values) {
    const eq = value.indexOf('=');
    const key = eq < 0 ? value : value.slice(0, eq);
    const v = eq < 0 ? '' : value.slice(eq + 1);
    if (!KEYS.includes(key)) {
      throw new InvalidArgumentError(`invalid --log-opt "${value}": unknown option "${key}", use one of ${KEYS.join(', ')}`);
    }
    if (eq < 0 || v === '') throw new InvalidArgumentError(`invalid --log-opt "${value}": use ${key}=VALUE`);
    if (key === 'max-size') out.opts.maxSize = parseSize(v, value);
    else if (key === 'max-file') out.opts.maxFile = parseFileCount(v, value);
    else if (key === 'tag') out.opts.tag = v;
    else {
      if (!path.isAbsolute(v) || v.endsWith('/')) {
        throw new InvalidArgumentError(`invalid --log-opt "${value}": the log path must be an absolute file path`);
      }
      out.path = path.normalize(v);
    }
  }
  if (out.opts.maxFile !== undefined && out.opts.maxSize === undefined) {
    throw new InvalidArgumentError(`invalid --log-opt max-file=${out.opts.maxFile}: max-file needs max-size too`);
  }
  return out;
}

const UNITS = ['', 'k', 'm', 'g', 't', 'p'];

/**
 * A size as podman reads it (go-units FromHumanSize): a number, optionally with a fraction, then
 * an optional k, m, g, t or p and an optional b; decimal multiples (10m = 10,000,000 bytes).
 */
export function parseSize(v: string, whole = v): number {
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i.exec(v);
  const bytes = m ? Math.floor(Number(m[1]) * 1000 ** UNITS.indexOf((m[2] ?? '').toLowerCase())) : NaN;
  if (!(bytes >= 1) || !Number.isSafeInteger(bytes)) {
    throw new InvalidArgumentError(`invalid --log-opt "${whole}": use a size in bytes such as 512k, 10m or 1g`);
  }
  return bytes;
}

function parseFileCount(v: string, whole: string): number {
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= 1000)) throw new InvalidArgumentError(`invalid --log-opt "${whole}": use a number of files from 1 to 1000`);
  return n;
}

/** path=: the directory must exist (the shim creates only the file) and the path must not be a directory. */
export function checkLogPath(p: string): void {
  let dir: fs.Stats;
  try {
    dir = fs.statSync(path.dirname(p));
  } catch {
    throw new InvalidArgumentError(`invalid --log-opt path=${p}: directory "${path.dirname(p)}" does not exist`);
  }
  if (!dir.isDirectory()) throw new InvalidArgumentError(`invalid --log-opt path=${p}: "${path.dirname(p)}" is not a directory`);
  if (fs.existsSync(p) && fs.statSync(p).isDirectory()) throw new InvalidArgumentError(`invalid --log-opt path=${p}: it is a directory`);
}
