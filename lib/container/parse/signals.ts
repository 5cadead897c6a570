// Signal names and numbers as users give them to kill/stop (SIGTERM, TERM, 15).
import os from 'node:os';
import { InvalidArgumentError } from '../../errors.js';

const SIGNALS = os.constants.signals as Record<string, number>;

/** Normalises "TERM", "sigterm", "SIGTERM" or "15" to "SIGTERM"; rejects unknown signals. */
export function parseSignal(value: string | number, flag = '--signal'): NodeJS.Signals {
  const v = String(value).trim();
  if (/^[0-9]+$/.test(v)) {
    const n = Number(v);
    const name = Object.keys(SIGNALS).find((k) => SIGNALS[k] === n);
    if (name) return name as NodeJS.Signals;
    if (n >= 34 && n <= 64) return `SIGRTMIN+${n - 34}` as NodeJS.Signals;
  } else {
    const up = v.toUpperCase();
    const name = up.startsWith('SIG') ? up : `SIG${up}`;
    if (SIGNALS[name] !== undefined) return name as NodeJS.Signals;
  }
  throw new InvalidArgumentError(`invalid ${flag} "${value}": use a signal name like SIGTERM, TERM or a number like 15`);
}

export function signalNumber(sig: string): number {
  return SIGNALS[sig] ?? 15;
}
