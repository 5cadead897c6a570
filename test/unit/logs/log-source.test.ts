import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeK8sChunk, parseK8sLine } from '../../../lib/logs/k8s-file.js';
import { logFilePath, openLogFiles } from '../../../lib/logs/log-files.js';
import { LogSource } from '../../../lib/logs/log-source.js';
import { findTailPosition } from '../../../lib/logs/tail-position.js';

let dir: string;
let log: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-logsrc-'));
  log = path.join(dir, 'ctr.log');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');

/** Everything the source gives now, as text, and the chunks checked to be whole lines. */
function drain(src: LogSource, whole = false): string {
  let out = '';
  for (let c = src.read(); c; c = src.read()) {
    expect(c.data[c.data.length - 1]).toBe(0x0a);
    out += c.data.toString('latin1');
  }
  return out.length > 10_000 && !whole ? `${out.length} bytes: ${out.slice(0, 100)}…` : out;
}

/** Rotates as the shim does: .k -> .k+1 oldest first, the log -> .1 (or removed for maxFiles 1). */
function rotate(maxFiles: number): void {
  if (maxFiles === 1) fs.rmSync(log);
  for (let k = maxFiles - 2; k >= 0; k--) {
    if (fs.existsSync(logFilePath(log, k))) fs.renameSync(logFilePath(log, k), logFilePath(log, k + 1));
  }
  fs.writeFileSync(log, '');
}

describe('LogSource', () => {
  it('gives a file as chunks of whole lines, also with lines longer than a read', () => {
    const long = 'x'.repeat(5000) + '\n';
    fs.writeFileSync(log, lines(1, 300) + long + lines(301, 400));
    const src = new LogSource(log, 1, () => undefined, 1024);
    expect(drain(src)).toBe(lines(1, 300) + long + lines(301, 400));
    src.close();
  });

  it('reads rotated files oldest first', () => {
    fs.writeFileSync(logFilePath(log, 2), lines(1, 10));
    fs.writeFileSync(logFilePath(log, 1), lines(11, 20));
    fs.writeFileSync(log, lines(21, 30));
    const src = new LogSource(log, 3, () => undefined, 64);
    expect(drain(src)).toBe(lines(1, 30));
    src.close();
  });

  it('follows appends and rotations without losing, repeating or splitting a line', () => {
    for (const maxFiles of [1, 2, 3]) {
      fs.writeFileSync(log, lines(1, 5));
      const src = new LogSource(log, maxFiles, () => undefined, 50);
      let got = drain(src);
      let n = 5;
      for (let round = 0; round < 20; round++) {
        fs.appendFileSync(log, lines(n + 1, n + 3)); // written, not yet read
        n += 3;
        if (round % 3 !== 2) rotate(maxFiles); // sometimes rotate before the reader looks
        fs.appendFileSync(log, lines(n + 1, n + 2));
        n += 2;
        got += drain(src);
      }
      expect(got).toBe(lines(1, n));
      src.close();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
    }
  });

  it('waits for a line still being written and then gives it whole', () => {
    fs.writeFileSync(log, 'first\nsec');
    const src = new LogSource(log, 1, () => undefined);
    expect(drain(src)).toBe('first\n');
    expect(src.pendingBytes()).toBe(3);
    fs.appendFileSync(log, 'ond\n');
    expect(drain(src)).toBe('second\n');
    expect(src.pendingBytes()).toBe(0);
    src.close();
  });

  it('reports a line cut off at the end of a rotated file and goes on with the next file', () => {
    fs.writeFileSync(logFilePath(log, 1), 'a\ncut-of');
    fs.writeFileSync(log, 'b\n');
    const bad: string[] = [];
    const src = new LogSource(log, 2, (p, offset, why) => bad.push(`${path.basename(p)}:${offset}:${why}`));
    expect(drain(src)).toBe('a\nb\n');
    expect(bad).toEqual(['ctr.log.1:2:truncated']);
    src.close();
  });

  it('skips a line without any newline that exceeds the limit', () => {
    fs.writeFileSync(log, 'ok\n' + 'z'.repeat(3 << 20) + '\nafter\n');
    const bad: string[] = [];
    const src = new LogSource(log, 1, (_p, offset, why) => bad.push(`${offset}:${why}`), 64 << 10, 1 << 20);
    expect(drain(src)).toBe('ok\nafter\n');
    expect(bad).toEqual(['3:too-long']);
    src.close();
  });

  it('starts over when the file is truncated in place', () => {
    fs.writeFileSync(log, lines(1, 10));
    const src = new LogSource(log, 1, () => undefined);
    expect(drain(src)).toBe(lines(1, 10));
    fs.truncateSync(log, 0);
    fs.appendFileSync(log, 'new\n');
    expect(drain(src)).toBe('new\n');
    src.close();
  });
});

describe('openLogFiles', () => {
  it('returns the files oldest first, skipping gaps, and none for a log not written yet', () => {
    expect(openLogFiles(log, 4)).toEqual([]);
    fs.writeFileSync(logFilePath(log, 3), 'c');
    fs.writeFileSync(logFilePath(log, 1), 'b');
    fs.writeFileSync(log, 'a');
    const files = openLogFiles(log, 4);
    expect(files.map((f) => path.basename(f.path))).toEqual(['ctr.log.3', 'ctr.log.1', 'ctr.log']);
    files.forEach((f) => fs.closeSync(f.fd));
  });
});

describe('findTailPosition', () => {
  const T = 1_748_332_714_000_000_000n;
  const rec = (text: string) => encodeK8sChunk('stdout', Buffer.from(text), T);
  const tailText = (n: number, maxFiles: number) => {
    const src = new LogSource(log, maxFiles, () => undefined);
    const pos = findTailPosition(src.files(), n, parseK8sLine);
    if (pos) src.seek(pos);
    const text = drain(src, true)
      .split('\n')
      .filter(Boolean)
      .map((l) => parseK8sLine(Buffer.from(l)))
      .map((r) => (r ? r.data.toString() + (r.partial ? '' : '|') : ''))
      .join('');
    src.close();
    return text;
  };

  it('finds the start of the last N logical lines across files, P pieces counted with their F', () => {
    fs.writeFileSync(logFilePath(log, 1), Buffer.concat([rec('one\n'), rec('tw'), rec('o\n')]));
    fs.writeFileSync(log, Buffer.concat([rec('three\nfo'), rec('ur')]));
    expect(tailText(1, 2)).toBe('fo' + 'ur');
    expect(tailText(2, 2)).toBe('three|four');
    expect(tailText(3, 2)).toBe('tw' + 'o|three|four');
    expect(tailText(4, 2)).toBe('one|two|three|four');
    expect(tailText(10, 2)).toBe('one|two|three|four');
    expect(tailText(0, 2)).toBe('');
  });

  it('counts across block boundaries, skips corrupt lines and ignores a line being written', () => {
    const many = Buffer.concat(Array.from({ length: 30000 }, (_, i) => rec(`n${i}\n`)));
    fs.writeFileSync(log, Buffer.concat([many, Buffer.from('corrupt\n'), rec('last\n'), Buffer.from('2025-01-01T00:00:00Z std')]));
    expect(tailText(3, 1)).toBe('n29998|n29999|last|');
    expect(tailText(25000, 1).split('|')[0]).toBe('n5001');
  });
});
