// GET /events. pman has no events log yet (it is being built: issue #19); until then this adapter
// derives container events from the records: create, start and die (with their times) for the
// past, and the same by watching the records for changes while a client listens, plus destroy
// when a record goes. `EventSource` is the seam: point it at the events file once it exists.
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers } from '../state/containers.js';
import type { Call } from './call.js';
import { ApiError, qFilters } from './http.js';

export interface ApiEvent {
  Type: 'container';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  /** Unix ns. */
  timeNano: number;
}

export interface EventSource {
  /** Events between since and until (Unix ns), oldest first. */
  history(since: number, until: number): ApiEvent[];
  /** Calls back with each new event until the returned function is called. */
  watch(onEvent: (e: ApiEvent) => void): () => void;
}

const NEVER = '0001-01-01T00:00:00Z';
const WATCH_MS = 250;

function ns(iso: string): number {
  return Date.parse(iso) * 1e6;
}

function event(rec: ContainerRecord, action: string, timeNano: number, extra: Record<string, string> = {}): ApiEvent {
  return { Type: 'container', Action: action, Actor: { ID: rec.id, Attributes: { ...rec.config.labels, image: rec.imageName, name: rec.name, ...extra } }, timeNano };
}

function pastEvents(rec: ContainerRecord): ApiEvent[] {
  const out = [event(rec, 'create', ns(rec.created))];
  if (rec.state.startedAt && rec.state.startedAt !== NEVER) out.push(event(rec, 'start', ns(rec.state.startedAt)));
  if (rec.state.status === 'exited' && rec.state.finishedAt && rec.state.finishedAt !== NEVER) {
    out.push(event(rec, 'die', ns(rec.state.finishedAt), { exitCode: String(rec.state.exitCode) }));
  }
  return out;
}

/** Events read off the container records (see the header). */
export function recordEvents(ctx: Context): EventSource {
  return {
    history: (since, until) =>
      listContainers(ctx)
        .flatMap(pastEvents)
        .filter((e) => e.timeNano >= since && e.timeNano <= until)
        .sort((a, b) => a.timeNano - b.timeNano),
    watch: (onEvent) => {
      let known = new Map(listContainers(ctx).map((r) => [r.id, r]));
      const timer = setInterval(() => {
        const now = new Map(listContainers(ctx).map((r) => [r.id, r]));
        for (const [id, r] of now) {
          const before = known.get(id);
          const fresh = pastEvents(r).filter((e) => !before || !pastEvents(before).some((b) => b.Action === e.Action && b.timeNano === e.timeNano));
          fresh.sort((a, b) => a.timeNano - b.timeNano).forEach(onEvent);
        }
        for (const [id, r] of known) if (!now.has(id)) onEvent(event(r, 'destroy', Date.now() * 1e6));
        known = now;
      }, WATCH_MS);
      return () => clearInterval(timer);
    },
  };
}

/** Docker's since/until: Unix seconds (with an optional fraction) or an RFC 3339 time. */
function timeParam(value: string | null, name: string): number | undefined {
  if (value === null || value === '') return undefined;
  if (/^[0-9]+(\.[0-9]+)?$/.test(value)) return Math.round(Number(value) * 1e9);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ApiError(400, `invalid ${name} "${value}": use Unix seconds or an RFC 3339 time`);
  return t * 1e6;
}

function matches(e: ApiEvent, filters: string[]): boolean {
  const by = new Map<string, string[]>();
  for (const f of filters) {
    const i = f.indexOf('=');
    by.set(f.slice(0, i), [...(by.get(f.slice(0, i)) ?? []), f.slice(i + 1)]);
  }
  for (const [key, values] of by) {
    const ok = values.some((v) => {
      switch (key) {
        case 'type':
          return v === e.Type;
        case 'event':
          return v === e.Action;
        case 'container':
          return e.Actor.ID.startsWith(v) || e.Actor.Attributes.name === v;
        case 'image':
          return e.Actor.Attributes.image === v;
        case 'label': {
          const j = v.indexOf('=');
          return j < 0 ? v in e.Actor.Attributes : e.Actor.Attributes[v.slice(0, j)] === v.slice(j + 1);
        }
        default:
          return false;
      }
    });
    if (!ok) return false;
  }
  return true;
}

function dockerEvent(e: ApiEvent): Record<string, unknown> {
  return {
    status: e.Action,
    id: e.Actor.ID,
    from: e.Actor.Attributes.image,
    Type: e.Type,
    Action: e.Action,
    Actor: e.Actor,
    scope: 'local',
    time: Math.floor(e.timeNano / 1e9),
    timeNano: e.timeNano,
  };
}

export async function serveEvents(call: Call): Promise<void> {
  const nowNs = Date.now() * 1e6;
  const since = timeParam(call.query.get('since'), 'since');
  const until = timeParam(call.query.get('until'), 'until');
  const filters = qFilters(call.query);
  const source = recordEvents(call.ctx);
  const out = call.stream('application/json');
  const send = (e: ApiEvent) => {
    if (matches(e, filters)) out.write(`${JSON.stringify(dockerEvent(e))}\n`);
  };
  if (since !== undefined) source.history(since, Math.min(until ?? nowNs, nowNs)).forEach(send);
  if (until !== undefined && until <= nowNs) {
    out.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stop = source.watch((e) => {
      if (until !== undefined && e.timeNano > until) return;
      send(e);
    });
    const end = () => {
      stop();
      resolve();
    };
    void call.closed().then(end);
    if (until !== undefined) setTimeout(end, (until - nowNs) / 1e6);
  });
  out.end();
}
