// The event stream (docs/events.md): every state change pman makes is one JSON line appended to
// <runroot>/events/events.log, in the shape of podman's "file" events backend. Writers are many
// processes at once (CLIs, shims): each event line is one write(2) on an O_APPEND descriptor, so
// lines never interleave. Past a size limit the file is renamed to events.log.1 (one writer does
// it, under a small lock); followers keep reading the renamed file through their open descriptor.
import fs from 'node:fs';
import path from 'node:path';
import type { Context, EventsBackend } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';

export type EventType = 'container' | 'image' | 'volume' | 'network' | 'system';

/** One event, as a line of the file (podman's field names). */
export interface PmanEvent {
  Type: EventType;
  Status: string;
  /** Container or image ID, volume or network name. */
  ID: string;
  Name?: string;
  Image?: string;
  /** RFC 3339 with nanoseconds, UTC. */
  Time: string;
  Attributes?: Record<string, string>;
  ExitCode?: number;
  HealthStatus?: string;
}

/** The size past which the file is rotated (podman's events_logfile_max_size default: 1 MB). */
export const DEFAULT_MAX_SIZE = 1_000_000;
/** A rotation lock older than this was left by a writer that died mid-rotation. */
const STALE_LOCK_MS = 10_000;

export function eventsDir(ctx: Context): string {
  return path.join(ctx.runroot, 'events');
}

export function eventsFile(ctx: Context): string {
  return path.join(eventsDir(ctx), 'events.log');
}

/** The previous file, kept until the next rotation. */
export function rotatedFile(ctx: Context): string {
  return `${eventsFile(ctx)}.1`;
}

let lastNs = 0n;
/** Now, with nanoseconds that grow within this process (Date has milliseconds only). */
export function eventTime(): string {
  const ms = BigInt(Date.now());
  let ns = ms * 1_000_000n;
  if (ns <= lastNs) ns = lastNs + 1n;
  lastNs = ns;
  const iso = new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 19);
  return `${iso}.${String(ns % 1_000_000_000n).padStart(9, '0')}Z`;
}

/** The backend events go to: --events-backend, else containers.conf's events_logger, else the file. */
export function eventsBackend(ctx: Context): EventsBackend {
  return ctx.engine?.eventsBackend ?? ctx.confEventsBackend?.() ?? 'file';
}

/** `pman events` and the API's /events with the `none` backend: podman's error. */
export function assertEventsReadable(ctx: Context): void {
  if (eventsBackend(ctx) === 'none') throw new InvalidArgumentError('cannot read events with the "none" backend');
}

/**
 * Appends the events in one write (several lines of one change stay together). Recording an event
 * never fails the operation it describes: a problem is only traced.
 */
export function appendEvents(ctx: Context, events: Array<Omit<PmanEvent, 'Time'> & { Time?: string }>): void {
  if (events.length === 0 || eventsBackend(ctx) === 'none') return;
  const data = Buffer.from(events.map((e) => JSON.stringify({ ...e, Time: e.Time ?? eventTime() })).join('\n') + '\n');
  const file = eventsFile(ctx);
  try {
    let fd: number;
    try {
      fd = fs.openSync(file, 'a', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      fs.mkdirSync(eventsDir(ctx), { recursive: true, mode: 0o700 });
      fd = fs.openSync(file, 'a', 0o600);
    }
    let st: fs.Stats;
    try {
      fs.writeSync(fd, data);
      st = fs.fstatSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (st.size > (ctx.eventsMaxSize ?? DEFAULT_MAX_SIZE)) rotate(file, st.ino);
  } catch (err) {
    ctx.debug(`cannot record event: ${(err as Error).message}`);
  }
}

/**
 * events.log -> events.log.1, by one writer: the one that takes the lock (an atomic mkdir) while
 * the file it wrote to is still the current one. The others go on writing to the new file.
 */
function rotate(file: string, ino: number): void {
  const lock = `${file}.rotating`;
  try {
    fs.mkdirSync(lock);
  } catch {
    try {
      if (Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS) fs.rmdirSync(lock);
    } catch {
      /* released meanwhile */
    }
    return;
  }
  try {
    if (fs.statSync(file).ino === ino) fs.renameSync(file, `${file}.1`);
  } finally {
    fs.rmdirSync(lock);
  }
}

/** What a container event says about its container: podman's attributes (its labels, image, name), and more. */
export function containerEvent(rec: ContainerRecord, status: string, extra: Partial<PmanEvent> = {}): Omit<PmanEvent, 'Time'> {
  const Attributes = { ...rec.config.labels, image: rec.imageName, name: rec.name, ...extra.Attributes };
  return { Type: 'container', Status: status, ID: rec.id, Name: rec.name, Image: rec.imageName, ...extra, Attributes };
}

/** Records one or more changes of a container, in one write. */
export function containerEvents(ctx: Context, rec: ContainerRecord, statuses: string[], extra: Partial<PmanEvent> = {}): void {
  appendEvents(ctx, statuses.map((s) => containerEvent(rec, s, extra)));
}

/** Records a change of an image, a volume or a network. */
export function objectEvent(ctx: Context, type: Exclude<EventType, 'container'>, status: string, id: string, name?: string, extra: Partial<PmanEvent> = {}): void {
  appendEvents(ctx, [{ Type: type, Status: status, ID: id, ...(name !== undefined ? { Name: name } : {}), ...extra }]);
}
