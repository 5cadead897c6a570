// Kubernetes resource quantities: memory ("128Mi", "1G", "1e9", "512") to bytes, CPU ("500m",
// "1.5", "2") to CPUs, and back for kube generate.
import { InvalidArgumentError } from '../errors.js';

const SUFFIX: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

export function memoryQuantity(text: string, what: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(?:([eE][0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`invalid ${what} "${text}": use a Kubernetes quantity such as 128Mi, 1Gi or 500M`);
  const n = Number(m[1]) * (m[2] ? 10 ** Number(m[2].slice(1)) : SUFFIX[m[3] ?? '']);
  return Math.ceil(n);
}

export function cpuQuantity(text: string, what: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new InvalidArgumentError(`invalid ${what} "${text}": use CPUs (1.5) or millicores (500m)`);
  return m[2] ? Number(m[1]) / 1000 : Number(m[1]);
}

/** Bytes as Kubernetes writes them: the largest binary unit that divides them exactly. */
export function memoryText(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    if (bytes % SUFFIX[unit] === 0) return `${bytes / SUFFIX[unit]}${unit}`;
  }
  return String(bytes);
}

/** Billionths of a CPU as millicores ("500m") or whole CPUs ("2"). */
export function cpuText(nanoCpus: number): string {
  const milli = Math.round(nanoCpus / 1e6);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}
