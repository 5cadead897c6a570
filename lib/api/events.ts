// GET /events: the events file that `pman events` reads (lib/events), in Docker's shape. since,
// until and filters become the same selection `pman events` makes, and the stream follows the file
// across rotations as `pman events` does; what differs is only the wording Docker clients expect
// (docs/api.md, "Events").
import { assertEventsReadable, type PmanEvent } from '../events/events-file.js';
import { eventSelector, timeNs, type EventSelection } from '../events/filter.js';
import { selectEvents } from '../events/show.js';
import type { Call } from './call.js';
import { ApiError, qFilters } from './http.js';

/** Docker's action where it names one differently from podman's status, by event type. */
const DOCKER_ACTIONS: Record<string, Record<string, string>> = {
  container: { died: 'die', remove: 'destroy', exec: 'exec_start', exec_died: 'exec_die' },
  image: { remove: 'delete' },
  network: { remove: 'destroy' },
  volume: { remove: 'destroy' },
};

/** A Docker action asked for in an event filter, as the status the file holds. */
const PMAN_STATUS: Record<string, string> = Object.fromEntries(Object.values(DOCKER_ACTIONS).flatMap((m) => Object.entries(m).map(([pman, docker]) => [docker, pman])));

function dockerAction(e: PmanEvent): string {
  if (e.Status === 'health_status' && e.HealthStatus) return `health_status: ${e.HealthStatus}`;
  return DOCKER_ACTIONS[e.Type]?.[e.Status] ?? e.Status;
}

/**
 * One event as a line of Docker's stream (podman's compat shape: the attributes with image, name
 * and the exit code; Docker's action names). timeNano is written exactly: it is beyond what a JS
 * number holds.
 */
export function dockerEventLine(e: PmanEvent): string {
  const action = dockerAction(e);
  const attributes: Record<string, string> = { ...e.Attributes };
  if (e.Image !== undefined) attributes.image ??= e.Image;
  if (e.Name !== undefined) attributes.name ??= e.Name;
  if (e.ExitCode !== undefined) {
    attributes.containerExitCode = String(e.ExitCode);
    if (action === 'die') attributes.exitCode = String(e.ExitCode);
  }
  const ns = timeNs(e.Time) ?? BigInt(Date.parse(e.Time) || 0) * 1_000_000n;
  const head = {
    status: action,
    id: e.ID,
    ...(e.Image !== undefined ? { from: e.Image } : {}),
    Type: e.Type,
    Action: action,
    Actor: { ID: e.ID, Attributes: attributes },
    scope: 'local',
    time: Number(ns / 1_000_000_000n),
  };
  return `${JSON.stringify(head).slice(0, -1)},"timeNano":${ns}}\n`;
}

/** Docker's since/until: Unix seconds with an optional fraction (the docker CLI sends nanoseconds) or an RFC 3339 time. */
export function apiMoment(value: string | null, name: string): bigint | undefined {
  if (value === null || value === '') return undefined;
  const m = /^([0-9]+)(?:\.([0-9]{1,9}))?$/.exec(value);
  if (m) return BigInt(m[1]) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
  const t = timeNs(value);
  if (t === undefined) throw new ApiError(400, `invalid ${name} "${value}": use Unix seconds or an RFC 3339 time`);
  return t;
}

/**
 * The selection of a request, as Docker's daemon makes it: without since and until only what
 * happens from now on; with until alone everything up to it; event filters in Docker's words or
 * podman's.
 */
export function apiSelection(query: URLSearchParams, nowNs: bigint): EventSelection {
  const since = apiMoment(query.get('since'), 'since');
  const until = apiMoment(query.get('until'), 'until');
  const filters = qFilters(query).map((f) => {
    const m = /^(event|status)=(.*)$/.exec(f);
    return m && PMAN_STATUS[m[2]] ? `${m[1]}=${PMAN_STATUS[m[2]]}` : f;
  });
  return { since: since ?? (until === undefined ? nowNs : undefined), ...(until !== undefined ? { until } : {}), filters };
}

export async function serveEvents(call: Call): Promise<void> {
  const sel = apiSelection(call.query, BigInt(Date.now()) * 1_000_000n);
  try {
    eventSelector(sel); // a bad filter is a 400 before the stream starts
  } catch (err) {
    throw new ApiError(400, (err as Error).message.replace(/--filter/, 'filter'));
  }
  assertEventsReadable(call.ctx); // before the stream's headers: an error status, not a cut stream
  const gone = new AbortController();
  void call.closed().then(() => gone.abort());
  const out = call.stream('application/json');
  for await (const e of selectEvents(call.ctx, { ...sel, stream: true, signal: gone.signal })) {
    if (gone.signal.aborted) break;
    out.write(dockerEventLine(e));
  }
  out.end();
}
