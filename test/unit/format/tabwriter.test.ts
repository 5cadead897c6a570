import { alignColumns } from '../../../lib/format/tabwriter.js';

describe('alignColumns', () => {
  it('pads each tab-terminated cell to the widest in its column plus the padding', () => {
    expect(alignColumns('a\tbbbb\tc\naaa\tb\tc', { padding: 2 })).toBe('a    bbbb  c\naaa  b     c');
  });

  it('never pads the last cell of a line', () => {
    expect(alignColumns('a\tlong last cell\nbb\tx')).toBe('a    long last cell\nbb   x');
  });

  it('sizes a column only over the block of consecutive lines that have it', () => {
    // The middle line has no tab, so the lines above and below are aligned separately.
    expect(alignColumns('a\tx\nno tabs here\nlonger\ty')).toBe('a   x\nno tabs here\nlonger   y');
  });

  it('lets a line with fewer cells end a column without breaking the ones to its left', () => {
    expect(alignColumns('a\tbb\tc\naaa\td\nx')).toBe('a     bb   c\naaa   d\nx');
  });

  it('keeps empty cells as columns', () => {
    expect(alignColumns('\tb\nlong\tc')).toBe('       b\nlong   c');
  });

  it('counts characters, not UTF-16 code units', () => {
    expect(alignColumns('😀\tx\nab\ty', { padding: 1 })).toBe('😀  x\nab y');
  });

  it('honours a minimum width', () => {
    expect(alignColumns('a\tb', { minWidth: 6, padding: 1 })).toBe('a     b');
  });
});
