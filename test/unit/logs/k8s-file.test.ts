import { encodeK8sChunk, formatTimestamp, LineSplitter, parseK8sLine, type LogRecord, type LogStream } from '../../../lib/logs/k8s-file.js';

const T = 1_748_332_714_663_942_371n;
const TS = formatTimestamp(T);

/** Splits encoded log bytes into records, as `pman logs` will. */
function decode(...encoded: Buffer[]): LogRecord[] {
  const splitter = new LineSplitter();
  const records: LogRecord[] = [];
  for (const buf of encoded) {
    for (const line of splitter.push(buf)) {
      const rec = parseK8sLine(line);
      if (rec === null) throw new Error(`corrupt line ${JSON.stringify(line.toString('latin1'))}`);
      records.push({ ...rec, data: Buffer.from(rec.data) });
    }
  }
  expect(splitter.flush()).toBeNull(); // every record ends in \n
  return records;
}

// Jest compares Buffers element by element, which takes seconds for large ones; this is
// Buffer#equals, with the first differing offset in the failure message.
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  if (actual.equals(expected)) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  expect({ length: actual.length, firstDifferenceAt: i }).toEqual({ length: expected.length, firstDifferenceAt: -1 });
}

/** The container output the records stand for: F → data + \n, P → data. */
function reassemble(records: LogRecord[]): Buffer {
  return Buffer.concat(records.flatMap((r) => (r.partial ? [r.data] : [r.data, Buffer.from('\n')])));
}

// The format spelled out the slow, obvious way, to check the fast encoder against.
function naiveEncode(stream: LogStream, chunk: Buffer, ts: string): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < chunk.length) {
    const nl = chunk.indexOf(0x0a, start);
    const end = nl === -1 ? chunk.length : nl;
    parts.push(Buffer.from(`${ts} ${stream} ${nl === -1 ? 'P' : 'F'} `), chunk.subarray(start, end), Buffer.from('\n'));
    start = end + 1;
  }
  return Buffer.concat(parts);
}

// Deterministic pseudo-random bytes (xorshift), so a failure can be reproduced.
function randomBytes(length: number, seed: number, newlineEvery = 0): Buffer {
  const out = Buffer.alloc(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = newlineEvery > 0 && (x >>> 8) % newlineEvery === 0 ? 0x0a : x & 0xff;
  }
  return out;
}

describe('encodeK8sChunk', () => {
  it('writes each complete line as an F record, all with the timestamp of the chunk', () => {
    const out = encodeK8sChunk('stdout', Buffer.from('hello\nworld\n'), T);
    expect(out.toString()).toBe(`${TS} stdout F hello\n${TS} stdout F world\n`);
  });

  it('writes a trailing piece without newline as a P record ended by a newline', () => {
    const out = encodeK8sChunk('stderr', Buffer.from('done\nprogress 50%'), T);
    expect(out.toString()).toBe(`${TS} stderr F done\n${TS} stderr P progress 50%\n`);
  });

  it('writes an empty line as an F record with an empty payload', () => {
    expect(encodeK8sChunk('stdout', Buffer.from('\n'), T).toString()).toBe(`${TS} stdout F \n`);
  });

  it('writes nothing for an empty chunk', () => {
    expect(encodeK8sChunk('stdout', Buffer.alloc(0), T).length).toBe(0);
  });

  it('takes a Date with millisecond precision', () => {
    const out = encodeK8sChunk('stdout', Buffer.from('x\n'), new Date(1_700_000_000_123));
    expect(parseK8sLine(out.subarray(0, out.length - 1))!.time).toBe(1_700_000_000_123_000_000n);
  });

  it('keeps CRLF line endings from a tty as payload bytes', () => {
    const chunk = Buffer.from('$ ls\r\nfile\r\n');
    const records = decode(encodeK8sChunk('stdout', chunk, T));
    expect(records.map((r) => r.data.toString())).toEqual(['$ ls\r', 'file\r']);
    expectSameBytes(reassemble(records), chunk);
  });

  it('round-trips binary data containing every byte value', () => {
    const chunk = Buffer.alloc(256 * 3);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7) % 256;
    const records = decode(encodeK8sChunk('stdout', chunk, T));
    expectSameBytes(reassemble(records), chunk);
    expect(records.every((r) => !r.data.includes(0x0a))).toBe(true);
  });

  it('splits a 100 KB line without newline over several chunks into P records that join back', () => {
    const line = Buffer.alloc(100 * 1024, 'x');
    const chunks = [line.subarray(0, 65536), line.subarray(65536, 90000), line.subarray(90000), Buffer.from('\n')];
    const records = decode(...chunks.map((c) => encodeK8sChunk('stdout', c, T)));
    expect(records.map((r) => [r.partial, r.data.length])).toEqual([
      [true, 65536],
      [true, 90000 - 65536],
      [true, line.length - 90000],
      [false, 0],
    ]);
    expectSameBytes(reassemble(records), Buffer.concat([line, Buffer.from('\n')]));
  });

  it('handles chunks that end mid-line and lines that start mid-chunk', () => {
    const chunks = ['first li', 'ne\nsecond', ' line\nthird\n', 'fourth'].map((s) => Buffer.from(s));
    const records = decode(...chunks.map((c) => encodeK8sChunk('stdout', c, T)));
    expect(records.map((r) => `${r.partial ? 'P' : 'F'}:${r.data}`)).toEqual([
      'P:first li',
      'F:ne',
      'P:second',
      'F: line',
      'F:third',
      'P:fourth',
    ]);
  });

  it('encodes a chunk of more than 4096 lines (beyond the initial newline table)', () => {
    const chunk = Buffer.from('ab\n'.repeat(10_000) + 'tail');
    const out = encodeK8sChunk('stdout', chunk, T);
    expectSameBytes(out, naiveEncode('stdout', chunk, TS));
  });

  it('produces the same bytes as a straightforward encoder on random chunks', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const chunk = randomBytes(1 + ((seed * 7919) % 3000), seed, [0, 2, 5, 40, 300][seed % 5]!);
      const stream: LogStream = seed % 2 ? 'stdout' : 'stderr';
      expectSameBytes(encodeK8sChunk(stream, chunk, T), naiveEncode(stream, chunk, TS));
    }
  });

  it('round-trips random data read in random chunk sizes', () => {
    const data = randomBytes(200_000, 42, 60);
    const encoded: Buffer[] = [];
    for (let pos = 0, i = 0; pos < data.length; i++) {
      const size = 1 + ((i * 104_729) % 70_000);
      encoded.push(encodeK8sChunk('stdout', data.subarray(pos, pos + size), T + BigInt(i)));
      pos += size;
    }
    expectSameBytes(reassemble(decode(...encoded)), data);
  });
});

describe('parseK8sLine', () => {
  it('reads a line as conmon writes it', () => {
    const rec = parseK8sLine(Buffer.from('2025-05-27T09:58:34.663942371+02:00 stdout F hello world'));
    expect(rec).toEqual({
      time: 1_748_332_714_663_942_371n,
      timeText: '2025-05-27T09:58:34.663942371+02:00',
      stream: 'stdout',
      partial: false,
      data: Buffer.from('hello world'),
    });
  });

  it('keeps spaces in the payload, including leading and trailing ones', () => {
    const rec = parseK8sLine(Buffer.from(`${TS} stderr P   a  b  `));
    expect(rec!.stream).toBe('stderr');
    expect(rec!.partial).toBe(true);
    expect(rec!.data.toString()).toBe('  a  b  ');
  });

  it('reads a record with an empty payload', () => {
    expect(parseK8sLine(Buffer.from(`${TS} stdout F `))!.data.length).toBe(0);
  });

  it('accepts a timestamp written in UTC with Z', () => {
    expect(parseK8sLine(Buffer.from('2023-11-14T22:13:20.5Z stdout F x'))!.time).toBe(1_700_000_000_500_000_000n);
  });

  it.each([
    ['an empty line', ''],
    ['a line truncated inside the timestamp', '2025-05-27T09:58:34.66'],
    ['a line truncated after the timestamp', `${TS} `],
    ['a line truncated inside the stream', `${TS} std`],
    ['a line truncated after the stream', `${TS} stdout`],
    ['a line without the space after the tag', `${TS} stdout F`],
    ['a bad timestamp', '2025-13-27T09:58:34.663942371+02:00 stdout F x'],
    ['a timestamp that is not a time', 'yesterday stdout F x'],
    ['a bad stream', `${TS} stdin F x`],
    ['a bad tag', `${TS} stdout X x`],
    ['a two-letter tag', `${TS} stdout FP x`],
    ['a leading space', ` ${TS} stdout F x`],
    ['binary garbage', '\u0000\u00ff\u0001 \u0002'],
  ])('returns null for %s', (_what, text) => {
    expect(parseK8sLine(Buffer.from(text, 'latin1'))).toBeNull();
  });
});
