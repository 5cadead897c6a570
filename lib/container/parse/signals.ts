// Signal names and numbers as users give them to kill/stop (SIGTERM, TERM, 15).
import os from 'node:os';
import { InvalidArgumentError } from '../../errors.js';

const SIGNALS = os.constants.signals as Record<string, number>;

/** Linux's real-time signal range (glibc's SIGRTMIN is 34: 32 and 33 are its own). */
const RTMIN = 34;
const RTMAX = 64;

/** "SIGRTMIN+3" / "RTMAX-2" → its number, or undefined. */
function realtime(name: string): number | undefined {
  const m = /^(?:SIG)?RT(MIN|MAX)(?:([+-])([0-9]+))?$/.exec(name);
  if (!m) return undefined;
  const off = m[2] ? (m[2] === '+' ? 1 : -1) * Number(m[3]) : 0;
  const n = (m[1] === 'MIN' ? RTMIN : RTMAX) + off;
  return n >= RTMIN && n <= RTMAX ? n : undefined;
}

/**
 * Normalises "TERM", "sigterm", "SIGTERM" or "15" to "SIGTERM", real-time signals to
 * "SIGRTMIN+n" ("SIGRTMAX-2", "RTMIN+3", 37), and 0 to "0" (kill -s 0: is it running?); rejects
 * unknown signals.
 */
export function parseSignal(value: string | number, flag = '--signal'): NodeJS.Signals {
  const v = String(value).trim();
  if (/^[0-9]+$/.test(v)) {
    const n = Number(v);
    if (n === 0) return '0' as NodeJS.Signals;
    if (n >= RTMIN && n <= RTMAX) return `SIGRTMIN+${n - RTMIN}` as NodeJS.Signals;
    const name = Object.keys(SIGNALS).find((k) => SIGNALS[k] === n);
    if (name) return name as NodeJS.Signals;
  } else {
    const up = v.toUpperCase();
    const rt = realtime(up);
    if (rt !== undefined) return `SIGRTMIN+${rt - RTMIN}` as NodeJS.Signals;
    const name = up.startsWith('SIG') ? up : `SIG${up}`;
    if (SIGNALS[name] !== undefined && !/^SIGRT(MIN|MAX)$/.test(name)) return name as NodeJS.Signals;
  }
  throw new InvalidArgumentError(`invalid ${flag} "${value}": use a signal name like SIGTERM, TERM, SIGRTMIN+3 or a number like 15`);
}

/** The number of a signal parseSignal returned. */
export function signalNumber(sig: string): number {
  if (sig === '0') return 0;
  return realtime(sig) ?? SIGNALS[sig] ?? 15;
}
