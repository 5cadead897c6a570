import { encodeK8sChunk, LineSplitter, parseK8sLine, type LogRecord, type LogStream } from '../../../lib/logs/k8s-file.js';
import { renderRecord, replay, selectTail, type ReplayWrite } from '../../../lib/logs/replay.js';

function rec(time: number, tag: 'F' | 'P', data: string, stream: LogStream = 'stdout'): LogRecord {
  return { time: BigInt(time), timeText: `t${time}`, stream, partial: tag === 'P', data: Buffer.from(data) };
}

// Jest compares Buffers element by element, which takes seconds for large ones; this is
// Buffer#equals, with the first differing offset in the failure message.
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  if (actual.equals(expected)) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  expect({ length: actual.length, firstDifferenceAt: i }).toEqual({ length: expected.length, firstDifferenceAt: -1 });
}

const show = (records: LogRecord[]) => records.map((r) => `${r.partial ? 'P' : 'F'}:${r.data}`);
const text = (writes: ReplayWrite[]) => writes.map((w) => `${w.stream}:${w.data}`);

describe('selectTail', () => {
  const records = [rec(1, 'F', 'one'), rec(2, 'P', 'tw'), rec(3, 'P', 'o'), rec(4, 'F', '!'), rec(5, 'F', 'three'), rec(6, 'P', 'fo'), rec(7, 'P', 'ur')];

  it('counts P pieces together with the F that ends them as one line', () => {
    expect(show(selectTail(records.slice(0, 5), 2))).toEqual(['P:tw', 'P:o', 'F:!', 'F:three']);
  });

  it('counts a trailing run of P pieces as one line', () => {
    expect(show(selectTail(records, 1))).toEqual(['P:fo', 'P:ur']);
    expect(show(selectTail(records, 2))).toEqual(['F:three', 'P:fo', 'P:ur']);
    expect(show(selectTail(records, 3))).toEqual(['P:tw', 'P:o', 'F:!', 'F:three', 'P:fo', 'P:ur']);
  });

  it('returns everything for -1 or a count above the number of lines, and nothing for 0', () => {
    expect(selectTail(records, -1)).toEqual(records);
    expect(selectTail(records, 100)).toEqual(records);
    expect(selectTail(records, 0)).toEqual([]);
    expect(selectTail([], 3)).toEqual([]);
  });

  it('counts a 100 KB line split into P pieces as one line', () => {
    const line = Buffer.alloc(100 * 1024, 'y');
    const splitter = new LineSplitter();
    const parsed: LogRecord[] = [];
    const chunks = [Buffer.from('before\n'), line.subarray(0, 65536), line.subarray(65536), Buffer.from('\nafter\n')];
    chunks.forEach((c, i) => {
      for (const l of splitter.push(encodeK8sChunk('stdout', c, BigInt(i)))) parsed.push(parseK8sLine(l)!);
    });
    const lastTwo = selectTail(parsed, 2);
    expect(lastTwo.map((r) => r.data.length)).toEqual([65536, 100 * 1024 - 65536, 0, 5]);
  });
});

describe('renderRecord', () => {
  it('prints an F record with a newline and a P record without', () => {
    expect(renderRecord(rec(1, 'F', 'a'), { timestamps: false, atLineStart: true }).toString()).toBe('a\n');
    expect(renderRecord(rec(1, 'P', 'a'), { timestamps: false, atLineStart: true }).toString()).toBe('a');
  });

  it('prints the timestamp only at the start of a logical line', () => {
    expect(renderRecord(rec(1, 'P', 'a'), { timestamps: true, atLineStart: true }).toString()).toBe('t1 a');
    expect(renderRecord(rec(2, 'F', 'b'), { timestamps: true, atLineStart: false }).toString()).toBe('b\n');
  });

  it('prints the name, then the timestamp, at the start of a line (podman -n)', () => {
    expect(renderRecord(rec(1, 'F', 'a'), { timestamps: true, namePrefix: 'wéb', atLineStart: true }).toString()).toBe('wéb t1 a\n');
    expect(renderRecord(rec(1, 'F', 'a'), { timestamps: false, namePrefix: 'web', atLineStart: false }).toString()).toBe('a\n');
  });

  it('keeps binary payload bytes as they are', () => {
    const r: LogRecord = { ...rec(1, 'F', ''), data: Buffer.from([0, 0xff, 0x0d]) };
    expect(renderRecord(r, { timestamps: true, atLineStart: true })).toEqual(Buffer.from([0x74, 0x31, 0x20, 0, 0xff, 0x0d, 0x0a]));
  });
});

describe('replay', () => {
  const records = [
    rec(10, 'F', 'start'),
    rec(20, 'P', 'down'),
    rec(25, 'P', 'load'),
    rec(30, 'F', 'ed'),
    rec(35, 'F', 'oops', 'stderr'),
    rec(40, 'F', 'end'),
  ];

  it('prints all records, merging consecutive writes to the same stream', () => {
    expect(text(replay(records, { timestamps: false, tail: -1 }))).toEqual(['stdout:start\ndownloaded\n', 'stderr:oops\n', 'stdout:end\n']);
  });

  it('prints one timestamp per logical line, the one of its first piece', () => {
    expect(text(replay(records, { timestamps: true, tail: -1 }))).toEqual(['stdout:t10 start\nt20 downloaded\n', 'stderr:t35 oops\n', 'stdout:t40 end\n']);
  });

  it('applies --since and --until to whole lines, judged by their first piece, inclusively', () => {
    expect(text(replay(records, { timestamps: false, tail: -1, since: 20n, until: 35n }))).toEqual(['stdout:downloaded\n', 'stderr:oops\n']);
    expect(text(replay(records, { timestamps: false, tail: -1, since: 21n }))).toEqual(['stderr:oops\n', 'stdout:end\n']);
  });

  it('applies --tail after --since/--until', () => {
    expect(text(replay(records, { timestamps: false, tail: 2, until: 30n }))).toEqual(['stdout:start\ndownloaded\n']);
    expect(text(replay(records, { timestamps: false, tail: 1, since: 10n }))).toEqual(['stdout:end\n']);
  });

  it('prefixes each line with the container name', () => {
    expect(text(replay(records.slice(0, 4), { timestamps: false, tail: -1, namePrefix: 'web' }))).toEqual(['stdout:web start\nweb downloaded\n']);
  });

  it('prints nothing for no records or --tail 0', () => {
    expect(replay([], { timestamps: true, tail: -1 })).toEqual([]);
    expect(replay(records, { timestamps: true, tail: 0 })).toEqual([]);
  });

  it('gives back exactly the bytes a container wrote, chunked any way', () => {
    const output = Buffer.from('line 1\r\nline 2\r\npartial line without end');
    const splitter = new LineSplitter();
    const parsed: LogRecord[] = [];
    for (let pos = 0, i = 0; pos < output.length; pos += 5, i++) {
      for (const l of splitter.push(encodeK8sChunk('stdout', output.subarray(pos, pos + 5), BigInt(i)))) parsed.push(parseK8sLine(l)!);
    }
    const writes = replay(parsed, { timestamps: false, tail: -1 });
    expectSameBytes(Buffer.concat(writes.map((w) => w.data)), output);
  });
});
