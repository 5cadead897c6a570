import { encodeJsonFileChunk } from '../../../lib/logs/json-file.js';
import { encodeK8sChunk, type LogRecord, type LogStream } from '../../../lib/logs/k8s-file.js';
import { replay, type ReplayWrite } from '../../../lib/logs/replay.js';
import { lineParser, StreamRenderer, type LogFormat, type RenderOptions } from '../../../lib/logs/stream-renderer.js';

const T0 = 1_748_332_714_000_000_000n;

// A deterministic generator, so a failure can be reproduced.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A log as the shim writes it: reads of random output (binary, partial lines, both streams). */
function makeLog(format: LogFormat, seed: number, corrupt = false): Buffer {
  const rand = rng(seed);
  const parts: Buffer[] = [];
  let t = T0;
  for (let i = 0; i < 60; i++) {
    const stream: LogStream = rand() < 0.3 ? 'stderr' : 'stdout';
    const bytes: number[] = [];
    const n = Math.floor(rand() * 200);
    for (let k = 0; k < n; k++) bytes.push(rand() < 0.15 ? 0x0a : Math.floor(rand() * 256));
    t += BigInt(Math.floor(rand() * 3)) * 1_000_000_000n; // runs of equal timestamps, then steps
    const chunk = Buffer.from(bytes);
    parts.push(format === 'json-file' ? encodeJsonFileChunk(stream, chunk, t) : encodeK8sChunk(stream, chunk, t));
    if (corrupt && rand() < 0.2) parts.push(Buffer.from(['garbage line\n', '2025-13-01T00:00:00Z stdout F bad month\n', 'x stdout F \n'][i % 3]!));
  }
  return Buffer.concat(parts);
}

/** The reference: every line parsed, then replay() from replay.ts. */
function expected(format: LogFormat, log: Buffer, opts: RenderOptions): ReplayWrite[] {
  const parse = lineParser(format);
  const records: LogRecord[] = [];
  let pos = 0;
  while (pos < log.length) {
    const nl = log.indexOf(0x0a, pos);
    const rec = parse(log.subarray(pos, nl));
    if (rec) records.push(rec);
    pos = nl + 1;
  }
  return merge(replay(records, { ...opts, tail: -1 }));
}

/** Renders the log cut into chunks of whole lines at random places. */
function rendered(format: LogFormat, log: Buffer, opts: RenderOptions, seed: number): { writes: ReplayWrite[]; corrupt: number } {
  const rand = rng(seed);
  let corrupt = 0;
  const r = new StreamRenderer(format, opts, () => corrupt++);
  const writes: ReplayWrite[] = [];
  const copy = Buffer.from(log); // render() works in place
  let pos = 0;
  while (pos < copy.length) {
    let end = Math.min(copy.length, pos + Math.floor(rand() * 3000));
    end = copy.indexOf(0x0a, end - 1) + 1 || copy.length;
    for (const w of r.render(copy.subarray(pos, end))) writes.push({ stream: w.stream, data: Buffer.from(w.data) });
    pos = end;
  }
  return { writes: merge(writes), corrupt };
}

function merge(writes: ReplayWrite[]): ReplayWrite[] {
  const out: ReplayWrite[] = [];
  for (const w of writes) {
    const last = out.at(-1);
    if (last && last.stream === w.stream) last.data = Buffer.concat([last.data, w.data]);
    else if (w.data.length > 0) out.push({ stream: w.stream, data: Buffer.from(w.data) });
  }
  return out;
}

const show = (writes: ReplayWrite[]) => writes.map((w) => `${w.stream}:${w.data.toString('base64')}`);

describe('StreamRenderer.render', () => {
  const optionSets: Array<[string, RenderOptions]> = [
    ['no options', { timestamps: false }],
    ['timestamps', { timestamps: true }],
    ['a name prefix and timestamps', { timestamps: true, namePrefix: 'web' }],
    ['since and until', { timestamps: false, since: T0 + 20_000_000_000n, until: T0 + 60_000_000_000n }],
    ['since, until and timestamps', { timestamps: true, since: T0 + 10_000_000_000n, until: T0 + 40_000_000_000n }],
  ];
  for (const format of ['k8s-file', 'json-file'] as const) {
    for (const [what, opts] of optionSets) {
      it(`prints ${format} chunk by chunk exactly as replay() prints the whole log (${what})`, () => {
        for (let seed = 1; seed <= 12; seed++) {
          const log = makeLog(format, seed);
          const got = rendered(format, log, opts, seed * 7);
          expect(got.corrupt).toBe(0);
          expect(show(got.writes)).toEqual(show(expected(format, log, opts)));
        }
      });
    }
  }

  it('skips corrupt lines, reporting each, and prints the rest', () => {
    for (const format of ['k8s-file', 'json-file'] as const) {
      const log = makeLog(format, 5, true);
      const got = rendered(format, log, { timestamps: true }, 3);
      expect(got.corrupt).toBeGreaterThan(3);
      expect(show(got.writes)).toEqual(show(expected(format, log, { timestamps: true })));
    }
  });

  it('prints each line\'s time as podman 4.3.1\'s logs -t does (RFC3339Nano: no trailing zeros, Z for +00:00)', () => {
    const log = [
      '2026-12-04T16:20:31.130050000+00:00 stdout F a',
      '2026-12-04T16:20:31.130050000+00:00 stdout F b',
      '2026-12-04T17:20:32.000000000+01:00 stdout P c',
      '2026-12-04T17:20:32.000000000+01:00 stdout F d',
      '',
    ].join('\n');
    const out = new StreamRenderer('k8s-file', { timestamps: true }, () => undefined).render(Buffer.from(log));
    expect(Buffer.concat(out.map((w) => w.data)).toString()).toBe('2026-12-04T16:20:31.13005Z a\n2026-12-04T16:20:31.13005Z b\n2026-12-04T17:20:32+01:00 cd\n');
  });

  it('reports the offset of a corrupt line within the chunk', () => {
    const good = encodeK8sChunk('stdout', Buffer.from('a\n'), T0);
    const offsets: number[] = [];
    const r = new StreamRenderer('k8s-file', { timestamps: false }, (o) => offsets.push(o));
    const out = r.render(Buffer.concat([good, Buffer.from('broken\n'), good]));
    expect(offsets).toEqual([good.length]);
    expect(show(out)).toEqual(show([{ stream: 'stdout', data: Buffer.from('a\na\n') }]));
  });

  it('continues a line split across chunks without a second prefix', () => {
    const r = new StreamRenderer('k8s-file', { timestamps: false, namePrefix: 'c1' }, () => undefined);
    const a = r.render(encodeK8sChunk('stdout', Buffer.from('abc'), T0));
    const b = r.render(encodeK8sChunk('stdout', Buffer.from('def\nnext\n'), T0 + 1n));
    expect(Buffer.concat([...a, ...b].map((w) => w.data)).toString()).toBe('c1 abcdef\nc1 next\n');
  });

  it('sets pastUntil once a line starts after --until', () => {
    const r = new StreamRenderer('k8s-file', { timestamps: false, until: T0 + 5n }, () => undefined);
    expect(show(r.render(encodeK8sChunk('stdout', Buffer.from('early\n'), T0)))).toEqual(show([{ stream: 'stdout', data: Buffer.from('early\n') }]));
    expect(r.pastUntil).toBe(false);
    expect(r.render(encodeK8sChunk('stdout', Buffer.from('late\n'), T0 + 6n))).toEqual([]);
    expect(r.pastUntil).toBe(true);
  });
});

describe('StreamRenderer.lines', () => {
  it('gives each logical line whole, with the time of its first piece, and the unfinished one at the end', () => {
    const r = new StreamRenderer('k8s-file', { timestamps: false }, () => undefined);
    const first = r.lines(Buffer.concat([encodeK8sChunk('stdout', Buffer.from('one\ntw'), T0), encodeK8sChunk('stderr', Buffer.from('o\nthr'), T0 + 9n)]));
    expect(first.map((l) => [l.time, l.stream, l.data.toString()])).toEqual([
      [T0, 'stdout', 'one\n'],
      [T0, 'stderr', 'two\n'],
    ]);
    expect(r.lines(encodeK8sChunk('stdout', Buffer.from('ee'), T0 + 20n))).toEqual([]);
    const last = r.unfinishedLine();
    expect([last?.time, last?.data.toString()]).toEqual([T0 + 9n, 'three']);
    expect(r.unfinishedLine()).toBeNull();
  });
});
