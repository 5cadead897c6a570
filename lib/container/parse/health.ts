// The health-check flags of create/run (--health-*, --no-healthcheck) merged over the image's
// HEALTHCHECK into the one resolved check the record keeps, with Docker's defaults filled in
// (docs/healthchecks.md). Durations are nanoseconds, as in docker's image config and API.
import { InvalidArgumentError } from '../../errors.js';
import { parseGoDuration } from '../../format/duration.js';
import type { HealthConfig } from '../../image/config-blob.js';
import type { HealthcheckConfig, HealthOnFailure } from '../../state/container-record.js';

export const SECOND_NS = 1_000_000_000;
/** Docker's defaults: interval 30 s, timeout 30 s, start period 0, start interval 5 s, retries 3. */
export const HEALTH_DEFAULTS = { interval: 30 * SECOND_NS, timeout: 30 * SECOND_NS, startPeriod: 0, startInterval: 5 * SECOND_NS, retries: 3 };

/** The flags as given (strings, unparsed). */
export interface HealthFlags {
  cmd?: string;
  interval?: string;
  timeout?: string;
  startPeriod?: string;
  startInterval?: string;
  retries?: string;
  onFailure?: string;
  noHealthcheck?: boolean;
}

/** An image's Healthcheck as its config blob holds it (docker's field names; 0 = the default). */
export type ImageHealthcheck = HealthConfig;

const ON_FAILURE: HealthOnFailure[] = ['none', 'kill', 'restart', 'stop'];

/** --health-cmd: a JSON array (CMD/CMD-SHELL/NONE first, else CMD is meant) or a shell command. */
export function parseHealthCmd(value: string): string[] {
  const text = value.trim();
  if (text.toLowerCase() === 'none') return ['NONE'];
  if (text.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(text);
    } catch {
      throw new InvalidArgumentError(`invalid --health-cmd "${value}": not a valid JSON array; give a shell command or ["CMD", "prog", "arg"…]`);
    }
    if (!Array.isArray(arr) || arr.length === 0 || !arr.every((a) => typeof a === 'string')) {
      throw new InvalidArgumentError(`invalid --health-cmd "${value}": the JSON form must be a non-empty array of strings`);
    }
    const words = arr as string[];
    const head = words[0].toUpperCase();
    if (head === 'NONE') return ['NONE'];
    const test = head === 'CMD' || head === 'CMD-SHELL' ? [head, ...words.slice(1)] : ['CMD', ...words];
    if (test.length < 2 || (head === 'CMD-SHELL' && test.length !== 2)) {
      throw new InvalidArgumentError(`invalid --health-cmd "${value}": CMD needs a program, CMD-SHELL exactly one command string`);
    }
    return test;
  }
  if (text === '') throw new InvalidArgumentError('invalid --health-cmd "": give a command, or "none" to disable the check');
  return ['CMD-SHELL', value];
}

/** A duration flag in nanoseconds; `disable` (intervals only) and 0 give 0. */
function durationNs(flag: string, value: string, minNs: number, allowDisable: boolean): number {
  if (allowDisable && value === 'disable') return 0;
  const ns = parseGoDuration(value);
  const hint = allowDisable ? ', or disable' : '';
  if (ns === null || ns < 0n) throw new InvalidArgumentError(`invalid --${flag} "${value}": use a duration such as 30s or 1m${hint}`);
  if (ns !== 0n && ns < BigInt(minNs)) throw new InvalidArgumentError(`invalid --${flag} "${value}": it must be at least ${minNs / SECOND_NS}s${hint}`);
  return Number(ns);
}

export interface ResolvedHealth {
  healthcheck?: HealthcheckConfig;
  healthOnFailure?: HealthOnFailure;
}

/** True when the image's HEALTHCHECK cannot matter (so create need not read the config blob). */
export function imageHealthIrrelevant(f: HealthFlags | undefined): boolean {
  return f?.noHealthcheck === true || (f?.cmd !== undefined && f.cmd !== '');
}

/**
 * The check the container gets: the flags over the image's, Docker's defaults for the rest.
 * `--no-healthcheck` or a NONE test give none; options without any command are ignored (as
 * docker and podman do).
 */
export function resolveHealth(f: HealthFlags | undefined, image: ImageHealthcheck | undefined): ResolvedHealth {
  const flags = f ?? {};
  let onFailure: HealthOnFailure | undefined;
  if (flags.onFailure !== undefined) {
    if (!ON_FAILURE.includes(flags.onFailure as HealthOnFailure)) {
      throw new InvalidArgumentError(`invalid --health-on-failure "${flags.onFailure}": use none, kill, restart or stop`);
    }
    onFailure = flags.onFailure as HealthOnFailure;
  }
  if (flags.noHealthcheck && flags.cmd !== undefined && flags.cmd !== '') {
    throw new InvalidArgumentError('--no-healthcheck conflicts with --health-cmd: give one of them');
  }
  const cmd = flags.cmd !== undefined && flags.cmd !== '' ? parseHealthCmd(flags.cmd) : undefined;
  // Parsed even when unused, so a typo is reported.
  const interval = flags.interval === undefined ? undefined : durationNs('health-interval', flags.interval, SECOND_NS, true);
  const timeout = flags.timeout === undefined ? undefined : durationNs('health-timeout', flags.timeout, SECOND_NS, false);
  const startPeriod = flags.startPeriod === undefined ? undefined : durationNs('health-start-period', flags.startPeriod, 0, false);
  const startInterval = flags.startInterval === undefined ? undefined : durationNs('health-start-interval', flags.startInterval, SECOND_NS, true);
  let retries: number | undefined;
  if (flags.retries !== undefined) {
    if (!/^[0-9]+$/.test(flags.retries) || Number(flags.retries) < 1) throw new InvalidArgumentError(`invalid --health-retries "${flags.retries}": use a whole number of at least 1`);
    retries = Number(flags.retries);
  }
  if (flags.noHealthcheck) return {};
  const test = cmd ?? image?.Test;
  if (!test || test.length === 0 || test[0].toUpperCase() === 'NONE' || test.length < 2) return {};
  const fromImage = (v: number | undefined, dflt: number) => (v !== undefined && v > 0 ? v : dflt);
  const healthcheck: HealthcheckConfig = {
    test,
    interval: interval ?? fromImage(image?.Interval, HEALTH_DEFAULTS.interval),
    timeout: fromImage(timeout ?? image?.Timeout, HEALTH_DEFAULTS.timeout),
    startPeriod: startPeriod ?? fromImage(image?.StartPeriod, HEALTH_DEFAULTS.startPeriod),
    startInterval: startInterval ?? fromImage(image?.StartInterval, HEALTH_DEFAULTS.startInterval),
    retries: retries ?? fromImage(image?.Retries, HEALTH_DEFAULTS.retries),
  };
  return { healthcheck, ...(onFailure && onFailure !== 'none' ? { healthOnFailure: onFailure } : {}) };
}
