// ps's extra columns and order (podman's --size and --sort), apart from the listing itself (ps.ts).
import type { Context } from '../context.js';
import { formatBytes, type ByteStyle } from '../format/bytes.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerSizes } from './size.js';

export const PS_SORT_KEYS = ['command', 'created', 'id', 'image', 'names', 'runningfor', 'size', 'status'];

/** podman's --sort: created (and runningfor) newest first, the others ascending by their text. */
export function sortPsRows(rows: Array<Record<string, unknown>>, key: string): void {
  if (key === 'created' || key === 'runningfor') return; // listForPs gives them newest first
  const field = { command: 'Command', id: 'ID', image: 'Image', names: 'Names', size: 'SizeBytes', status: 'Status' }[key] ?? 'ID';
  rows.sort((a, b) => {
    const x = a[field] as string | number;
    const y = b[field] as string | number;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** podman 4.3.1's ps sizes: go-units with 3 significant digits and no space ("307kB"). */
const PS_SIZE: ByteStyle = { base: 1000, digits: 3, space: false };

/**
 * ps --size: `Size` "307kB (virtual 1.98MB)", the writable layer and the image's layers (podman
 * 4.3.1's RootFsSize), and `SizeBytes` (the writable layer's bytes) that --sort size orders by.
 */
export function containerSize(ctx: Context, rec: ContainerRecord, layerSizes?: Map<string, number>): { Size: string; SizeBytes: number } {
  const s = containerSizes(ctx, rec, layerSizes);
  return { Size: `${formatBytes(s.SizeRw, PS_SIZE)} (virtual ${formatBytes(s.SizeRootFs, PS_SIZE)})`, SizeBytes: s.SizeRw };
}
