// The events a `pman events` (or an API /events) asks for: the selection applied to the stream,
// stopping at --until when it is given.
import type { Context } from '../context.js';
import { goTime } from '../format/go-time.js';
import { assertEventsReadable, type PmanEvent } from './events-file.js';
import { eventSelector, type EventSelection } from './filter.js';
import { readEvents } from './reader.js';

export interface EventsOptions extends EventSelection {
  /** Follow what is appended (podman's --stream, the default) until `signal` or --until. */
  stream: boolean;
  signal?: AbortSignal;
}

export async function* selectEvents(ctx: Context, opts: EventsOptions): AsyncGenerator<PmanEvent> {
  assertEventsReadable(ctx);
  const matches = eventSelector(opts);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const untilMs = opts.until === undefined ? undefined : Number(opts.until / 1_000_000n);
  // (A timer cannot wait more than 2^31 ms: a later --until only ends the stream when interrupted.)
  const wait = untilMs === undefined ? undefined : Math.max(0, untilMs - Date.now() + 1);
  const untilTimer = opts.stream && wait !== undefined && wait < 2 ** 31 ? setTimeout(onAbort, wait) : undefined;
  try {
    for await (const e of readEvents(ctx, { follow: opts.stream && (untilMs === undefined || untilMs >= Date.now()), signal: stop.signal })) {
      if (matches(e)) yield e;
    }
  } finally {
    if (untilTimer) clearTimeout(untilTimer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** The line podman prints without --format: time, type, status, ID and the attributes. */
export function eventLine(e: PmanEvent): string {
  const time = String(goTime(e.Time));
  const attrs: Array<[string, string]> = [];
  if (e.Image) attrs.push(['image', e.Image]);
  if (e.Name) attrs.push(['name', e.Name]);
  if (e.HealthStatus) attrs.push(['health_status', e.HealthStatus]);
  if (e.ExitCode !== undefined) attrs.push(['containerExitCode', String(e.ExitCode)]);
  for (const [k, v] of Object.entries(e.Attributes ?? {}).sort()) if (!attrs.some(([a]) => a === k)) attrs.push([k, v]);
  const tail = attrs.length ? ` (${attrs.map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
  return `${time} ${e.Type} ${e.Status} ${e.ID}${tail}`;
}

/** `--format json`: the event with its Time as Go's JSON writes it (no trailing zeros in the fraction). */
export function eventJson(e: PmanEvent): string {
  return JSON.stringify({ ...e, Time: goTime(e.Time) });
}

/** An event as --format templates see it: every field podman's templates name, even when empty. */
export function eventView(e: PmanEvent): Record<string, unknown> {
  return {
    ID: e.ID,
    Image: e.Image ?? '',
    Name: e.Name ?? '',
    Network: e.Attributes?.network ?? '',
    Status: e.Status,
    Time: goTime(e.Time),
    Type: e.Type,
    Attributes: e.Attributes ?? {},
    ContainerExitCode: e.ExitCode ?? 0,
    ExitCode: e.ExitCode ?? 0,
    HealthStatus: e.HealthStatus ?? '',
  };
}
