import { jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseK8sLine } from '../../../lib/logs/k8s-file.js';
import { logFilePath, readDropped } from '../../../lib/logs/log-files.js';
import { LogSource } from '../../../lib/logs/log-source.js';
import { chunkSuffix, LogWriter } from '../../../lib/shim/log-writer.js';

let dir: string;
let log: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-logwriter-'));
  log = path.join(dir, 'ctr.log');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Output with numbered lines, cut into reads at arbitrary places (so some lines become P + F). */
function numberedReads(count: number, readSize: number): Buffer[] {
  const all = Buffer.from(Array.from({ length: count }, (_, i) => `${String(i + 1).padStart(7, '0')} ${'.'.repeat(i % 50)}\n`).join(''));
  const reads: Buffer[] = [];
  for (let pos = 0; pos < all.length; pos += readSize) reads.push(all.subarray(pos, pos + readSize));
  return reads;
}

/** The numbers of the lines in the log text (whole lines only, P pieces joined). */
function numbers(text: string): number[] {
  let out = '';
  for (const line of text.split('\n').filter(Boolean)) {
    const r = parseK8sLine(Buffer.from(line, 'latin1'));
    if (!r) throw new Error(`corrupt line ${line}`);
    out += r.data.toString('latin1') + (r.partial ? '' : '\n');
  }
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(l.split(' ')[0]));
}

const files = () => fs.readdirSync(dir).filter((f) => /^ctr\.log(\.\d+)?$/.test(f)).sort();

describe('LogWriter rotation', () => {
  it('keeps at most max-file files, none over max-size, each ending at a record, with the newest lines', () => {
    const w = new LogWriter(log, 'k8s-file', (m) => {
      throw new Error(m);
    }, { maxSize: 20_000, maxFile: 3 });
    for (const r of numberedReads(20_000, 777)) w.write('stdout', r);
    w.close();
    expect(files()).toEqual(['ctr.log', 'ctr.log.1', 'ctr.log.2']);
    let text = '';
    for (const f of ['ctr.log.2', 'ctr.log.1', 'ctr.log']) {
      const content = fs.readFileSync(path.join(dir, f), 'latin1');
      expect(content.length).toBeLessThanOrEqual(20_000);
      expect(content.endsWith('\n')).toBe(true);
      text += content;
    }
    const got = numbers(text);
    expect(got.at(-1)).toBe(20_000);
    // A contiguous run of the last lines (the first line may have lost its first piece).
    got.slice(1).forEach((n, i) => expect(n).toBe(got[0]! + i + 1));
  });

  it('with max-file=1 starts the file over, and a record bigger than max-size gets a file of its own', () => {
    const w = new LogWriter(log, 'k8s-file', () => undefined, { maxSize: 100, maxFile: 1 });
    w.write('stdout', Buffer.from('small\n'));
    w.write('stdout', Buffer.from('y'.repeat(300) + '\n'));
    expect(files()).toEqual(['ctr.log']);
    expect(fs.readFileSync(log, 'latin1')).toMatch(/^\S+ stdout F y{300}\n$/); // alone, over max-size
    w.write('stdout', Buffer.from('after\n'));
    expect(fs.readFileSync(log, 'latin1')).toMatch(/^\S+ stdout F after\n$/);
    w.close();
  });

  it('appends to the log a previous run left, counting its size', () => {
    fs.writeFileSync(log, 'x'.repeat(90) + '\n');
    const w = new LogWriter(log, 'k8s-file', () => undefined, { maxSize: 100, maxFile: 2 });
    w.write('stdout', Buffer.from('next\n'));
    w.close();
    expect(fs.readFileSync(logFilePath(log, 1), 'latin1')).toBe('x'.repeat(90) + '\n');
    expect(fs.readFileSync(log, 'latin1')).toMatch(/ stdout F next\n$/);
  });

  it('never loses or repeats a line for a reader that follows while it rotates', () => {
    const w = new LogWriter(log, 'k8s-file', () => undefined, { maxSize: 5000, maxFile: 2 });
    const src = new LogSource(log, 2, () => {
      throw new Error('bad tail');
    }, 4096);
    let text = '';
    for (const r of numberedReads(5000, 300)) {
      w.write('stdout', r);
      for (let c = src.read(); c; c = src.read()) text += c.data.toString('latin1');
    }
    w.close();
    src.close();
    expect(numbers(text)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
  });
});

describe('LogWriter on a full disk', () => {
  it('drops what cannot be written, counts it in <log>.dropped, and goes on', () => {
    fs.symlinkSync('/dev/full', log); // every write fails with ENOSPC
    const errors: string[] = [];
    const w = new LogWriter(log, 'k8s-file', (m) => errors.push(m));
    w.write('stdout', Buffer.from('one\ntwo\nthr'));
    w.write('stderr', Buffer.from('ee\n'));
    expect(readDropped(log)).toEqual({ lines: 3, bytes: 14, error: 'ENOSPC' });
    w.close();
    expect(errors).toEqual([]);
    // A later run carries the count on.
    const w2 = new LogWriter(log, 'k8s-file', () => undefined);
    w2.write('stdout', Buffer.from('four\n'));
    w2.close();
    expect(readDropped(log)).toEqual({ lines: 4, bytes: 19, error: 'ENOSPC' });
  });

  it('writes a zero record at start so that a later drop needs no new space', () => {
    const w = new LogWriter(log, 'k8s-file', () => undefined);
    expect(fs.statSync(`${log}.dropped`).size).toBe(256);
    expect(readDropped(log)).toEqual({ lines: 0, bytes: 0, error: '' });
    w.close();
  });

  it('writes nothing at all for --log-driver none', () => {
    const w = new LogWriter(log, 'none', () => undefined);
    w.write('stdout', Buffer.from('x\n'));
    w.close();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('LogWriter.close', () => {
  /** The fds fsynced while closing a log with these lines. */
  function closeSyncs(sync?: boolean): { fds: number; text: string } {
    const w = new LogWriter(log, 'k8s-file', () => undefined);
    w.write('stdout', Buffer.from('one\ntwo\n'));
    const spy = jest.spyOn(fs, 'fsyncSync');
    try {
      if (sync === undefined) w.close();
      else w.close(sync);
      return { fds: spy.mock.calls.length, text: fs.readFileSync(log, 'utf8') };
    } finally {
      spy.mockRestore();
    }
  }

  it('flushes the log to disk before the exit is recorded', () => {
    const r = closeSyncs();
    expect(r.fds).toBe(1);
    expect(r.text.split('\n').filter(Boolean).map((l) => parseK8sLine(Buffer.from(l))?.data.toString())).toEqual(['one', 'two']);
  });

  it('does not flush a log that is about to be removed (a --rm container), and still writes it whole', () => {
    const r = closeSyncs(false);
    expect(r.fds).toBe(0);
    expect(r.text.split('\n').filter(Boolean).map((l) => parseK8sLine(Buffer.from(l))?.data.toString())).toEqual(['one', 'two']);
  });
});

describe('chunkSuffix', () => {
  it('maps the last records of a read to its lines and bytes', () => {
    const chunk = Buffer.from('a\nbb\nccc');
    expect(chunkSuffix(chunk, 0)).toEqual({ lines: 0, bytes: 0 });
    expect(chunkSuffix(chunk, 1)).toEqual({ lines: 0, bytes: 3 });
    expect(chunkSuffix(chunk, 2)).toEqual({ lines: 1, bytes: 6 });
    expect(chunkSuffix(chunk, 3)).toEqual({ lines: 2, bytes: 8 });
    expect(chunkSuffix(Buffer.from('\n\nx\n'), 3)).toEqual({ lines: 3, bytes: 4 });
    expect(chunkSuffix(Buffer.from('\n\nx\n'), 2)).toEqual({ lines: 2, bytes: 3 });
  });
});
