import { encodeJsonFileChunk, parseJsonFileLine } from '../../../lib/logs/json-file.js';
import { LineSplitter, type LogRecord } from '../../../lib/logs/k8s-file.js';

const T = 1_700_000_000_000_000_001n;
const TIME = '2023-11-14T22:13:20.000000001Z';

function decode(...encoded: Buffer[]): LogRecord[] {
  const splitter = new LineSplitter();
  const records = encoded.flatMap((buf) => splitter.push(buf)).map((line) => {
    const rec = parseJsonFileLine(line);
    if (rec === null) throw new Error(`corrupt line ${line.toString()}`);
    return rec;
  });
  expect(splitter.flush()).toBeNull();
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

function reassemble(records: LogRecord[]): Buffer {
  return Buffer.concat(records.flatMap((r) => (r.partial ? [r.data] : [r.data, Buffer.from('\n')])));
}

describe('encodeJsonFileChunk', () => {
  it('writes one docker json-file object per line, keeping the newline in "log"', () => {
    const out = encodeJsonFileChunk('stdout', Buffer.from('hello\n"quoted" \\ tab\t\n'), T);
    expect(out.toString()).toBe(
      `{"log":"hello\\n","stream":"stdout","time":"${TIME}"}\n` +
        `{"log":"\\"quoted\\" \\\\ tab\\t\\n","stream":"stdout","time":"${TIME}"}\n`,
    );
  });

  it('writes a trailing piece without newline as a partial record with no newline in "log"', () => {
    const out = encodeJsonFileChunk('stderr', Buffer.from('50%'), T);
    expect(out.toString()).toBe(`{"log":"50%","stream":"stderr","time":"${TIME}"}\n`);
    expect(parseJsonFileLine(out.subarray(0, out.length - 1))).toMatchObject({ partial: true, data: Buffer.from('50%') });
  });

  it('writes nothing for an empty chunk', () => {
    expect(encodeJsonFileChunk('stdout', Buffer.alloc(0), T).length).toBe(0);
  });

  it('adds "logb64" with the exact bytes when a line is not valid UTF-8, and "log" holds the lossy text', () => {
    const bad = Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a]);
    const out = encodeJsonFileChunk('stdout', bad, T);
    const obj = JSON.parse(out.toString()) as Record<string, string>;
    expect(obj.log).toBe('a\ufffd\ufffdb\n');
    expect(Buffer.from(obj.logb64!, 'base64')).toEqual(bad);
    expectSameBytes(reassemble(decode(out)), bad);
  });

  it('adds "logb64" only to the lines that need it', () => {
    const out = encodeJsonFileChunk('stdout', Buffer.from([0x6f, 0x6b, 0x0a, 0xc3, 0x28, 0x0a]), T);
    const objs = out.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.map((o) => 'logb64' in o)).toEqual([false, true]);
  });

  it('round-trips valid UTF-8 text exactly, including a BOM, emoji, control characters and U+2028', () => {
    const text = '\ufeffbom\n😀 ünï cödé\n\u0000\u001b[31mred\u001b[0m\r\n\u2028\u2029 <&>\n';
    const out = encodeJsonFileChunk('stdout', Buffer.from(text), T);
    expect(out.toString()).not.toContain('logb64');
    expect(reassemble(decode(out)).toString()).toBe(text);
  });

  it('round-trips binary data with every byte value', () => {
    const chunk = Buffer.alloc(256 * 2);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 13) % 256;
    expectSameBytes(reassemble(decode(encodeJsonFileChunk('stdout', chunk, T))), chunk);
  });

  it('round-trips a multi-byte character split between two reads', () => {
    const text = Buffer.from('price: 10€\n'); // € is e2 82 ac
    const cut = text.indexOf(0x82);
    const records = decode(encodeJsonFileChunk('stdout', text.subarray(0, cut), T), encodeJsonFileChunk('stdout', text.subarray(cut), T));
    expect(records.map((r) => r.partial)).toEqual([true, false]);
    expectSameBytes(reassemble(records), text);
  });

  it('takes a Date with millisecond precision', () => {
    const out = encodeJsonFileChunk('stdout', Buffer.from('x\n'), new Date(1_700_000_000_123));
    expect(out.toString()).toContain('"time":"2023-11-14T22:13:20.123Z"');
  });
});

describe('parseJsonFileLine', () => {
  it('reads a line written by docker, with attrs and HTML-escaped characters', () => {
    const line = '{"log":"\\u003chi\\u003e\\n","stream":"stderr","attrs":{"tag":"web"},"time":"2025-05-27T07:58:34.66394237Z"}';
    expect(parseJsonFileLine(Buffer.from(line))).toEqual({
      time: 1_748_332_714_663_942_370n,
      timeText: '2025-05-27T07:58:34.66394237Z',
      stream: 'stderr',
      partial: false,
      data: Buffer.from('<hi>'),
    });
  });

  it('prefers "logb64" over "log"', () => {
    const line = `{"log":"?","stream":"stdout","time":"${TIME}","logb64":"/w=="}`;
    expect(parseJsonFileLine(Buffer.from(line))).toMatchObject({ partial: true, data: Buffer.from([0xff]) });
  });

  it('reads a missing "log" (docker omits it when empty) as an empty partial record', () => {
    expect(parseJsonFileLine(Buffer.from(`{"stream":"stdout","time":"${TIME}"}`))).toMatchObject({ partial: true, data: Buffer.alloc(0) });
  });

  it.each([
    ['an empty line', ''],
    ['a truncated object', `{"log":"x\\n","stream":"stdout","ti`],
    ['an array', '["x"]'],
    ['a string', '"x"'],
    ['a missing time', '{"log":"x\\n","stream":"stdout"}'],
    ['a bad time', '{"log":"x\\n","stream":"stdout","time":"yesterday"}'],
    ['a missing stream', `{"log":"x\\n","time":"${TIME}"}`],
    ['a bad stream', `{"log":"x\\n","stream":"stdin","time":"${TIME}"}`],
    ['a log that is not a string', `{"log":5,"stream":"stdout","time":"${TIME}"}`],
    ['a malformed logb64', `{"log":"x","stream":"stdout","time":"${TIME}","logb64":"a*b="}`],
    ['a logb64 that is not a string', `{"log":"x","stream":"stdout","time":"${TIME}","logb64":1}`],
  ])('returns null for %s', (_what, text) => {
    expect(parseJsonFileLine(Buffer.from(text))).toBeNull();
  });
});
