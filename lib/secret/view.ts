// podman's shapes of a secret: `secret inspect` (ID, CreatedAt, UpdatedAt, Spec{Name, Driver{Name,
// Options}, Labels}) and the rows of `secret ls` (ID, Name, Driver, CreatedAt, UpdatedAt as
// human durations, as podman 4.3.1 prints them). The data itself is never shown.
import { goTime } from '../format/go-time.js';
import { humanDuration } from '../format/humanize.js';
import type { SecretRecord } from './secret-record.js';

export function secretInspectView(s: SecretRecord): Record<string, unknown> {
  return {
    ID: s.id,
    // Go times: a template prints time.Time's form, the JSON RFC3339Nano.
    CreatedAt: goTime(s.created),
    UpdatedAt: goTime(s.updated),
    Spec: { Name: s.name, Driver: { Name: s.driver, Options: { ...s.driverOptions } }, Labels: { ...s.labels } },
  };
}

export function secretRow(s: SecretRecord, now = Date.now()): Record<string, unknown> {
  const ago = (t: string) => `${humanDuration(now - Date.parse(t))} ago`;
  return { ID: s.id, Name: s.name, Driver: s.driver, CreatedAt: ago(s.created), UpdatedAt: ago(s.updated), Labels: { ...s.labels } };
}
