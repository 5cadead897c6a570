// What users see of a volume: the podman-shaped `volume inspect` document and the `volume ls` row.
// podman's is a Go struct whose JSON leaves out UID, GID, NeedsCopyUp and NeedsChown when zero
// (omitempty) while its templates still see them: those are added as template-only fields.
import type { Context } from '../context.js';
import { withGoFields, type GoShape } from '../format/go-fields.js';
import { goTime } from '../format/go-time.js';
import type { VolumeInfo } from './list.js';
import { listedOptions, needsChown, volumeDataDir, volumeOwner } from './volumes.js';

/** podman 4.3.1's InspectVolumeData fields its JSON may leave out, at their zero values. */
const VOLUME_GO_FIELDS: GoShape = { Status: {}, UID: 0, GID: 0, NeedsCopyUp: false, NeedsChown: false, Timeout: 0, StorageID: '' };

/** A Go map for templates: a missing key prints <no value>, not an unknown field. */
const goMap = (m: Record<string, string>): Record<string, string> => Object.assign(Object.create(null) as Record<string, string>, m);

export function volumeInspectView(ctx: Context, info: VolumeInfo): Record<string, unknown> {
  const v = info.volume;
  const own = volumeOwner(v);
  const doc = {
    Name: v.name,
    Driver: v.driver,
    Mountpoint: volumeDataDir(ctx, v.name),
    // A Go time: templates print Go's time form, JSON the RFC 3339 text.
    CreatedAt: goTime(v.created),
    Labels: goMap(v.labels),
    Scope: 'local',
    Options: goMap(listedOptions(v)),
    ...(own.uid ? { UID: own.uid } : {}),
    ...(own.gid ? { GID: own.gid } : {}),
    MountCount: info.running,
    ...(v.needsCopyUp ? { NeedsCopyUp: true } : {}),
    ...(needsChown(v) ? { NeedsChown: true } : {}),
    Anonymous: v.anonymous,
  };
  return withGoFields(doc, VOLUME_GO_FIELDS);
}

/** ls rows use the same field names as inspect, so one template works for both. */
export function volumeRow(ctx: Context, info: VolumeInfo): Record<string, unknown> {
  return withGoFields({ ...volumeInspectView(ctx, info), Users: info.users }, VOLUME_GO_FIELDS);
}
