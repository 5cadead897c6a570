// ps's extra columns and order (podman's --size and --sort), apart from the listing itself (ps.ts).
import type { Context } from '../context.js';
import { formatBytes, type ByteStyle } from '../format/bytes.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerSizes } from './size.js';

export const PS_SORT_KEYS = ['command', 'created', 'id', 'image', 'names', 'runningfor', 'size', 'status'];

/** What a ps row is sorted by: the row as psRow (view.ts) and containerSize make it, and its record. */
type SortValue = (row: Record<string, unknown>, rec: ContainerRecord) => string | number | undefined;

/**
 * podman 4.3.1's keys (pkg/domain/entities/container_ps.go): the whole command joined by spaces
 * (not the quoted, cut column), the full ID, the image's name, the name, the start time in seconds
 * (never started: first), the state word (created < exited < paused < running, not the STATUS
 * text), the virtual size (only with --size: without it podman compares nothing). created is the
 * listing's own order.
 */
const SORT_VALUES: Record<string, SortValue> = {
  command: (_row, rec) => [...rec.config.entrypoint, ...rec.config.cmd].join(' '),
  id: (_row, rec) => rec.id,
  image: (row) => row.Image as string,
  names: (_row, rec) => rec.name,
  runningfor: (row) => row.StartedAt as number,
  status: (row) => row.State as string,
  size: (row) => row.SizeRootFs as number | undefined,
};

/**
 * podman's --sort: ascending by the key. The sort is stable, so equal keys keep the listing's order
 * (oldest first), as podman's Go sort does for the dozen rows it keeps in order (insertion sort).
 */
export function sortPsRows(rows: Array<Record<string, unknown>>, key: string, recOf: (row: Record<string, unknown>) => ContainerRecord): void {
  const value = SORT_VALUES[key];
  if (!value) return; // created: the listing is oldest first already
  const keyed = rows.map((row) => ({ row, v: value(row, recOf(row)) }));
  keyed.sort((a, b) => (a.v === undefined || b.v === undefined ? 0 : a.v < b.v ? -1 : a.v > b.v ? 1 : 0));
  keyed.forEach((k, i) => (rows[i] = k.row));
}

/** podman 4.3.1's ps sizes: go-units with 3 significant digits and no space ("307kB"). */
const PS_SIZE: ByteStyle = { base: 1000, digits: 3, space: false };

/**
 * ps --size: `Size` "307kB (virtual 1.98MB)", the writable layer and the image's layers (podman
 * 4.3.1's RwSize and RootFsSize), and `SizeRootFs` (the virtual bytes), which --sort size orders by
 * as podman does.
 */
export function containerSize(ctx: Context, rec: ContainerRecord, layerSizes?: Map<string, number>): { Size: string; SizeRootFs: number } {
  const s = containerSizes(ctx, rec, layerSizes);
  return { Size: `${formatBytes(s.SizeRw, PS_SIZE)} (virtual ${formatBytes(s.SizeRootFs, PS_SIZE)})`, SizeRootFs: s.SizeRootFs };
}
