import { getEventListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext, type Context } from '../../../lib/context.js';
import { appendEvents, eventsFile, rotatedFile, type PmanEvent } from '../../../lib/events/events-file.js';
import { eventSelector, parseMoment, timeNs } from '../../../lib/events/filter.js';
import { readEvents } from '../../../lib/events/reader.js';
import { eventLine } from '../../../lib/events/show.js';

let dir: string;
let ctx: Context;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-events-'));
  ctx = { ...createContext({ root: path.join(dir, 'root'), runroot: path.join(dir, 'run') }), eventsMaxSize: 1000 };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const vol = (name: string) => ({ Type: 'volume' as const, Status: 'create', ID: name, Name: name });
const ino = (f: string) => fs.statSync(f).ino;

/** The next `n` events of a follower, failing (not hanging) when they do not come. */
async function take(gen: AsyncGenerator<PmanEvent>, n: number): Promise<string[]> {
  const out: string[] = [];
  const bound = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`only ${out.length} of ${n} events came: ${out.join(' ')}`)), 5000).unref());
  while (out.length < n) {
    const r = await Promise.race([gen.next(), bound]);
    if (r.done) break;
    out.push(r.value.Name ?? '');
  }
  return out;
}

describe('the events file', () => {
  it('appends one whole line per event and rotates past the size limit', () => {
    for (let i = 0; i < 30; i++) appendEvents(ctx, [vol(`v${i}`)]);
    const cur = fs.readFileSync(eventsFile(ctx), 'utf8').split('\n').filter(Boolean);
    const old = fs.readFileSync(rotatedFile(ctx), 'utf8').split('\n').filter(Boolean);
    expect(fs.statSync(eventsFile(ctx)).size).toBeLessThanOrEqual(1000 + 200);
    const names = [...old, ...cur].map((l) => (JSON.parse(l) as PmanEvent).Name);
    // The newest events, in order, with nothing missing between the two files.
    expect(names).toEqual(Array.from({ length: names.length }, (_, i) => `v${30 - names.length + i}`));
  });

  it('gives times with nanoseconds that grow within a process', () => {
    appendEvents(ctx, [vol('a'), vol('b')]);
    const [a, b] = fs.readFileSync(eventsFile(ctx), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as PmanEvent).Time);
    expect(a).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(timeNs(b)! > timeNs(a)!).toBe(true);
  });
});

describe('a follower', () => {
  it('reads what it had not read across two rotations while it was not looking', async () => {
    const stop = new AbortController();
    appendEvents(ctx, [vol('first')]);
    const gen = readEvents(ctx, { follow: true, signal: stop.signal, pollMs: 5 });
    try {
      expect(await take(gen, 1)).toEqual(['first']);
      // The follower is suspended: the file is rotated twice behind it.
      const inodes = new Set([ino(eventsFile(ctx))]);
      const names: string[] = [];
      for (let i = 0; inodes.size < 3; i++) {
        appendEvents(ctx, [vol(`n${i}`)]);
        names.push(`n${i}`);
        if (fs.existsSync(eventsFile(ctx))) inodes.add(ino(eventsFile(ctx)));
      }
      appendEvents(ctx, [vol('last')]);
      expect(await take(gen, names.length + 1)).toEqual([...names, 'last']);
    } finally {
      stop.abort();
      await gen.return(undefined);
    }
  });

  it('reads a line a writer appends to the file it opened before the rotation', async () => {
    const stop = new AbortController();
    appendEvents(ctx, [vol('first')]);
    const gen = readEvents(ctx, { follow: true, signal: stop.signal, pollMs: 5 });
    const late = fs.openSync(eventsFile(ctx), 'a');
    try {
      expect(await take(gen, 1)).toEqual(['first']);
      const before = ino(eventsFile(ctx));
      let i = 0;
      while (!fs.existsSync(eventsFile(ctx)) || ino(eventsFile(ctx)) === before) appendEvents(ctx, [vol(`r${i++}`)]);
      appendEvents(ctx, [vol('after')]);
      // The follower moves to the new file and sees 'after' ...
      const seen = await take(gen, i + 1);
      expect(seen[seen.length - 1]).toBe('after');
      // ... and still what the slow writer puts into the old one.
      fs.writeSync(late, `${JSON.stringify({ ...vol('late'), Time: '2026-01-01T00:00:00.000000000Z' })}\n`);
      expect(await take(gen, 1)).toEqual(['late']);
    } finally {
      fs.closeSync(late);
      stop.abort();
      await gen.return(undefined);
    }
  });

  it('keeps no listener per look (a long follower does not grow)', async () => {
    const stop = new AbortController();
    const gen = readEvents(ctx, { follow: true, signal: stop.signal, pollMs: 1 });
    try {
      // Each event appended after the follower caught up costs it at least one wait.
      for (let i = 0; i < 20; i++) {
        appendEvents(ctx, [vol(`w${i}`)]);
        expect(await take(gen, 1)).toEqual([`w${i}`]);
      }
      expect(getEventListeners(stop.signal, 'abort').length).toBeLessThanOrEqual(1);
    } finally {
      stop.abort();
      await gen.return(undefined);
    }
  });

  it('without following, reads both files to their end and stops', async () => {
    for (let i = 0; i < 12; i++) appendEvents(ctx, [vol(`s${i}`)]);
    const got: string[] = [];
    for await (const e of readEvents(ctx, { follow: false })) got.push(e.Name!);
    expect(got[got.length - 1]).toBe('s11');
    expect(got).toEqual(got.map((_, i) => `s${12 - got.length + i}`));
  });
});

describe('event selection', () => {
  const ev = (over: Partial<PmanEvent>): PmanEvent => ({ Type: 'container', Status: 'start', ID: 'a'.repeat(64), Name: 'web', Image: 'localhost/busybox:latest', Time: '2026-01-01T00:00:00.000000005Z', Attributes: { tier: 'front' }, ...over });

  it('same key means either, different keys both', () => {
    const f = eventSelector({ filters: ['event=start', 'event=die', 'container=web'] });
    expect(f(ev({}))).toBe(true);
    expect(f(ev({ Status: 'create' }))).toBe(false);
    expect(f(ev({ Name: 'db', ID: 'b'.repeat(64) }))).toBe(false);
    expect(eventSelector({ filters: [`container=${'a'.repeat(12)}`] })(ev({}))).toBe(true);
    expect(eventSelector({ filters: ['label=tier=front', 'image=busybox:latest'] })(ev({}))).toBe(true);
    expect(eventSelector({ filters: ['label=tier=back'] })(ev({}))).toBe(false);
  });

  it('compares times to the nanosecond', () => {
    const at = parseMoment('since', '2026-01-01T00:00:00.000000005Z');
    expect(eventSelector({ filters: [], since: at, until: at })(ev({}))).toBe(true);
    expect(eventSelector({ filters: [], since: at + 1n })(ev({}))).toBe(false);
  });

  it("prints podman's line", () => {
    expect(eventLine(ev({ ExitCode: 2 }))).toBe(`2026-01-01 00:00:00.000000005 +0000 UTC container start ${'a'.repeat(64)} (image=localhost/busybox:latest, name=web, containerExitCode=2, tier=front)`);
  });
});
