// `pman history`: an image's history entries, newest first, as podman lists them. An entry that
// made a layer shows that layer's size, and the ID of a local image whose top layer it is (the
// image itself for the newest entry), else "<missing>".
import type { Context } from '../context.js';
import { readBlob } from './blobs.js';
import { historyOf, parseConfigBlob, type HistoryEntry } from './config-blob.js';
import type { ImageRecord } from './image-record.js';
import { layerExists, readLayerRecord } from './layers.js';
import { listImageRecords } from './records.js';
import { resolveImage } from './resolve.js';

export interface HistoryRow {
  /** 64 hex, or "<missing>". */
  id: string;
  /** RFC3339 as recorded ("" when unknown). */
  created: string;
  createdBy: string;
  size: number;
  comment: string;
}

function layerSize(ctx: Context, chainId: string | undefined): number {
  if (chainId === undefined || !layerExists(ctx, chainId)) return 0;
  return readLayerRecord(ctx, chainId).size;
}

export function imageHistory(ctx: Context, ref: string): HistoryRow[] {
  const image = resolveImage(ctx, ref);
  const config = parseConfigBlob(readBlob(ctx, `sha256:${image.id}`), `the config of image ${image.id.slice(0, 12)}`);
  let entries: HistoryEntry[] = historyOf(config);
  // Images without history (some tools write none): one entry per layer.
  if (entries.length === 0) entries = image.layers.map(() => ({ created: config.created }));
  const images = listImageRecords(ctx);
  const topOf = (depth: number): ImageRecord | undefined =>
    images.find((i) => i.layers.length === depth && i.layers[depth - 1] === image.layers[depth - 1]);
  const rows: HistoryRow[] = [];
  // Walk from the newest entry down, with `depth` = how many layers lie at or below it.
  let depth = image.layers.length;
  for (let i = entries.length - 1; i >= 0; i--) {
    const h = entries[i];
    const makesLayer = h.empty_layer !== true && depth > 0;
    let owner: ImageRecord | undefined;
    if (i === entries.length - 1) owner = image;
    else if (makesLayer) owner = topOf(depth);
    rows.push({
      id: owner?.id ?? '<missing>',
      created: typeof h.created === 'string' ? h.created : '',
      createdBy: typeof h.created_by === 'string' ? h.created_by : '',
      size: makesLayer ? layerSize(ctx, image.layers[depth - 1]) : 0,
      comment: typeof h.comment === 'string' ? h.comment : '',
    });
    if (makesLayer) depth--;
  }
  return rows;
}
