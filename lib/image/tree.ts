// `image tree`: an image's layers as podman 4.3.1 draws them, bottom first, each with the names of
// the images it is the top layer of; with whatRequires, the layers built on the image's top layer.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { formatBytes, STATS_SIZE } from '../format/bytes.js';
import { shortId } from '../state/ids.js';
import type { ImageRecord, LayerRecord } from './image-record.js';
import { imageSize } from './image-size.js';
import { arrivals } from './image-sort.js';
import { readLayerRecord } from './layers.js';
import { layersDir } from './layout.js';
import { resolveImage } from './resolve.js';
import { listImages } from './store.js';

/** One layer of the store, with what podman prints of it. */
export interface TreeLayer {
  id: string;
  size: number;
  /** The names of the images whose top layer it is, in the order the images arrived. */
  topOf: string[];
  /** Layers whose parent it is (whatRequires only), oldest first. */
  children: TreeLayer[];
  /** How many layers have the same parent (podman branches only where there are several). */
  siblings: number;
}

export interface ImageTree {
  id: string;
  tags: string[];
  size: number;
  /** Bottom first; with whatRequires the image's top layer alone, its children below it. */
  layers: TreeLayer[];
}

const tagsOf = (image: ImageRecord): string[] => image.names.filter((n) => !n.includes('@'));

function layerRecords(ctx: Context): LayerRecord[] {
  let names: string[];
  try {
    names = fs.readdirSync(layersDir(ctx));
  } catch {
    return [];
  }
  const out: LayerRecord[] = [];
  for (const name of names) {
    if (!/^[0-9a-f]{64}$/.test(name)) continue;
    try {
      out.push(readLayerRecord(ctx, name));
    } catch {
      // A layer being written or removed: not part of any image yet (or any more).
    }
  }
  return out.sort((a, b) => Date.parse(a.created) - Date.parse(b.created));
}

export function imageTree(ctx: Context, ref: string, opts: { whatRequires: boolean }): ImageTree {
  const image = resolveImage(ctx, ref);
  const arrived = arrivals(ctx);
  const images = listImages(ctx).sort((a, b) => arrived(a.id) - arrived(b.id));
  const topOf = (chainId: string) => [...new Set(images.filter((i) => i.layers[i.layers.length - 1] === chainId).flatMap(tagsOf))];
  const records = layerRecords(ctx);
  const childrenOf = (chainId: string | null) => records.filter((r) => r.parent === chainId);
  const node = (rec: LayerRecord, deep: boolean): TreeLayer => {
    const children = deep ? childrenOf(rec.chainId) : [];
    return {
      id: rec.chainId,
      size: rec.size,
      topOf: topOf(rec.chainId),
      children: children.map((c) => node(c, true)),
      siblings: rec.parent === null ? 1 : childrenOf(rec.parent).length,
    };
  };
  const top = image.layers[image.layers.length - 1];
  const layers = opts.whatRequires
    ? top === undefined ? [] : [node(readLayerRecord(ctx, top), true)]
    : image.layers.map((l) => node(readLayerRecord(ctx, l), false));
  return { id: image.id, tags: tagsOf(image), size: imageSize(ctx, image), layers };
}

/** A tree as podman's printer draws it: each item under its parent's text, with ├── └── │. */
interface Drawn {
  text: string;
  items: Drawn[];
}

function draw(items: Drawn[], spaces: boolean[]): string {
  let out = '';
  items.forEach((item, i) => {
    const last = i === items.length - 1;
    const indent = spaces.map((s) => (s ? '    ' : '│   ')).join('');
    out += `${indent}${last ? '└── ' : '├── '}${item.text}\n`;
    if (item.items.length > 0) out += draw(item.items, [...spaces, last]);
  });
  return out;
}

const layerLine = (l: TreeLayer) =>
  `ID: ${shortId(l.id)} Size: ${formatBytes(l.size, STATS_SIZE).padStart(7)}${l.topOf.length ? ` Top Layer of: [${l.topOf.join(' ')}]` : ''}`;

/**
 * whatRequires: a layer whose parent has no other child goes on at its parent's level, with its
 * children; one of several children opens a branch of its own (podman 4.3.1's drawing).
 */
function addRequired(layer: TreeLayer, parent: Drawn): void {
  let into = parent;
  if (layer.siblings <= 1) parent.items.push({ text: layerLine(layer), items: [] });
  else {
    into = { text: layerLine(layer), items: [] };
    parent.items.push(into);
  }
  for (const child of layer.children) addRequired(child, into);
}

/** The text podman 4.3.1 prints for `image tree` (a blank line after it, as its Println). */
export function renderImageTree(tree: ImageTree, opts: { whatRequires: boolean }): string {
  const header = [`Image ID: ${shortId(tree.id)}`, `Tags:     [${tree.tags.join(' ')}]`, `Size:     ${formatBytes(tree.size, STATS_SIZE)}`, tree.layers.length ? 'Image Layers' : 'No Image Layers'];
  const root: Drawn = { text: '', items: [] };
  if (opts.whatRequires) for (const l of tree.layers) addRequired(l, root);
  else root.items = tree.layers.map((l) => ({ text: layerLine(l), items: [] }));
  return `${header.join('\n')}\n${draw(root.items, [])}\n`;
}
