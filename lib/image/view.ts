// What users see of an image: the `images` row (fields podman's --format templates use), the
// `images --format json` entry and the `inspect` document.
import type { Context } from '../context.js';
import { formatBytes, IMAGE_SIZE } from '../format/bytes.js';
import { NIL_POINTER } from '../format/go-fields.js';
import { goTime } from '../format/go-time.js';
import { humanDuration } from '../format/humanize.js';
import { shortId } from '../state/ids.js';
import { readBlob } from './blobs.js';
import { dockerOnlyConfig } from './config-blob.js';
import type { ImageRecord } from './image-record.js';
import { imageSize } from './image-size.js';
import { isDangling } from './lineage.js';
import { layerDiffDir } from './layers.js';
import { createdMs, namesHistory } from './records.js';
import { splitName } from './reference.js';

export interface ImageRow {
  ID: string;
  Id: string;
  Repository: string;
  Tag: string;
  Digest: string;
  Created: string;
  CreatedSince: string;
  CreatedAt: Date;
  Size: string;
  /** Bytes, as podman's template prints it (SIZE is the text). */
  VirtualSize: number;
  SharedSize: number;
  ParentId: string;
  RepoTags: string[];
  RepoDigests: string[];
  CreatedTime: Date;
  Names: string[];
  /** podman's names history, newest first, joined with ", ". */
  History: string;
  /** Whether the image is in a read-only additional store (pman has none). */
  ReadOnly: boolean;
  IsReadOnly: boolean;
  Labels: Record<string, string>;
  Dangling: boolean;
  Containers: number;
}

function repoDigests(image: ImageRecord): string[] {
  return [...new Set(image.names.map((n) => `${splitName(n).repository}@${image.digest}`))];
}

/**
 * One row per name (repository:tag) of each image, one "<none>" row for an untagged image.
 * `containers` counts the containers using an image, by image ID.
 */
export function imageRows(images: ImageRecord[], opts: { noTrunc: boolean; now?: number; containers?: (id: string) => number; parents?: Set<string> }): ImageRow[] {
  const now = opts.now ?? Date.now();
  const rows: ImageRow[] = [];
  for (const image of images) {
    const ms = createdMs(image);
    const since = `${humanDuration(now - ms)} ago`;
    const base = {
      ID: opts.noTrunc ? `sha256:${image.id}` : shortId(image.id),
      Id: image.id,
      Digest: image.digest,
      Created: since,
      CreatedSince: since,
      // podman shows whole seconds
      CreatedAt: new Date(Math.floor(ms / 1000) * 1000),
      CreatedTime: new Date(Math.floor(ms / 1000) * 1000),
      Size: formatBytes(image.size, IMAGE_SIZE),
      VirtualSize: image.size,
      SharedSize: 0,
      ParentId: image.parent ?? '',
      RepoTags: image.names,
      RepoDigests: repoDigests(image),
      Names: image.names,
      History: namesHistory(image).join(', '),
      ReadOnly: false,
      IsReadOnly: false,
      Labels: image.config.Labels ?? {},
      Dangling: isDangling(image, opts.parents ?? new Set()),
      Containers: opts.containers?.(image.id) ?? 0,
    };
    if (image.names.length === 0) rows.push({ ...base, Repository: '<none>', Tag: '<none>' });
    for (const name of image.names) {
      const { repository, tag } = splitName(name);
      rows.push({ ...base, Repository: repository, Tag: tag || '<none>' });
    }
  }
  return rows;
}

/** An entry of `pman images --format json`, shaped like podman's. */
export function imageJson(image: ImageRecord, containers = 0): Record<string, unknown> {
  const ms = createdMs(image);
  return {
    Id: image.id,
    ParentId: image.parent ?? '',
    RepoTags: image.names.length > 0 ? image.names : null,
    RepoDigests: repoDigests(image),
    Size: image.size,
    SharedSize: 0,
    VirtualSize: image.size,
    Labels: image.config.Labels ?? null,
    Containers: containers,
    Names: image.names,
    Digest: image.digest,
    History: namesHistory(image),
    Created: Math.floor(ms / 1000),
    CreatedAt: new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
  };
}

interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

interface ConfigBlob {
  author?: string;
  config?: Record<string, unknown>;
  history?: HistoryEntry[];
  [key: string]: unknown;
}

function parseJsonBlob<T>(ctx: Context, digest: string): T | undefined {
  try {
    return JSON.parse(readBlob(ctx, digest).toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * A history entry of the config blob, its JSON keys as they are; a template sees the fields of
 * podman's Go struct (v1.History) too: `{{.Created}}` in Go's time form, `{{.CreatedBy}}` ….
 */
function goHistory(h: HistoryEntry): HistoryEntry {
  const fields = {
    Created: typeof h.created === 'string' ? goTime(h.created) : NIL_POINTER,
    CreatedBy: h.created_by ?? '',
    Author: h.author ?? '',
    Comment: h.comment ?? '',
    EmptyLayer: h.empty_layer === true,
  };
  for (const [k, value] of Object.entries(fields)) Object.defineProperty(h, k, { value, enumerable: false });
  return h;
}

/** A nil Go map: `null` in JSON, `map[]` in a template (podman's Labels of an image without any). */
function nilMap(): Record<string, string> {
  return Object.defineProperty(Object.create(null) as Record<string, string>, 'toJSON', { value: () => null });
}

/**
 * The `pman image inspect` document, shaped like podman's. The docker-only config fields come from
 * the config blob (the record keeps the runtime defaults only): Healthcheck at the top, as podman
 * shows it, and Shell and OnBuild in Config, where docker shows them (podman leaves them out).
 */
export function inspectView(ctx: Context, image: ImageRecord): Record<string, unknown> {
  const config = parseJsonBlob<ConfigBlob>(ctx, `sha256:${image.id}`) ?? {};
  const manifest = parseJsonBlob<{ mediaType?: string }>(ctx, image.digest) ?? {};
  const history = Array.isArray(config.history) ? config.history : [];
  const { Healthcheck, ...dockerOnly } = dockerOnlyConfig(config.config);
  const dirs = [...image.layers].reverse().map((l) => layerDiffDir(ctx, l));
  const size = imageSize(ctx, image);
  const doc = {
    Id: image.id,
    Digest: image.digest,
    RepoTags: image.names,
    RepoDigests: repoDigests(image),
    Parent: image.parent ?? '',
    Comment: history.length > 0 ? (history[history.length - 1].comment ?? '') : '',
    // A Go time: a template prints time.Time's form (its nanoseconds kept), the JSON RFC 3339.
    Created: goTime(image.created),
    Config: { ...image.config, ...dockerOnly },
    Version: '',
    Author: config.author ?? '',
    Architecture: image.architecture,
    Os: image.os,
    Size: size,
    VirtualSize: size,
    GraphDriver: { Name: 'overlay', Data: { UpperDir: dirs[0], LowerDir: dirs.slice(1).join(':') || undefined, WorkDir: '' } }, // an image layer has no overlay work dir: only a container's upper has one
    RootFS: { Type: 'layers', Layers: image.diffIds },
    Labels: image.config.Labels ?? nilMap(),
    Annotations: {},
    ManifestType: manifest.mediaType ?? 'application/vnd.oci.image.manifest.v1+json',
    User: image.config.User ?? '',
    History: history.map(goHistory),
    NamesHistory: namesHistory(image),
    ...(Healthcheck ? { Healthcheck } : {}),
  };
  // podman's struct field behind the JSON key "Healthcheck" (omitempty) is HealthCheck.
  return Object.defineProperty(doc, 'HealthCheck', { value: Healthcheck ?? null });
}
