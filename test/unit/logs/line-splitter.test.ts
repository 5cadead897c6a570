import { LineSplitter } from '../../../lib/logs/line-splitter.js';

const strings = (lines: Buffer[]) => lines.map((l) => l.toString('latin1'));

describe('LineSplitter', () => {
  it('returns complete lines without their newline and holds back the rest', () => {
    const s = new LineSplitter();
    expect(strings(s.push(Buffer.from('a\nbb\nccc')))).toEqual(['a', 'bb']);
    expect(strings(s.push(Buffer.from('c\n')))).toEqual(['cccc']);
    expect(s.flush()).toBeNull();
  });

  it('returns empty lines for consecutive newlines', () => {
    const s = new LineSplitter();
    expect(strings(s.push(Buffer.from('\n\nx\n')))).toEqual(['', '', 'x']);
  });

  it('joins a line spread over many chunks, and flush returns an unterminated last line', () => {
    const s = new LineSplitter();
    for (const piece of ['ab', 'cd', '', 'ef']) expect(s.push(Buffer.from(piece))).toEqual([]);
    expect(s.flush()!.toString()).toBe('abcdef');
    expect(s.flush()).toBeNull();
  });

  it('keeps a held-back piece intact when the caller reuses its read buffer', () => {
    const s = new LineSplitter();
    const buf = Buffer.from('one\ntw');
    expect(strings(s.push(buf))).toEqual(['one']);
    buf.fill(0x58);
    expect(strings(s.push(Buffer.from('o\n')))).toEqual(['two']);
  });

  it('ignores an empty chunk', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.alloc(0))).toEqual([]);
    expect(s.flush()).toBeNull();
  });
});
