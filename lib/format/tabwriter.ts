// Column alignment as Go's text/tabwriter does it (left-aligned, no flags), so `table` output lines
// up the way podman's does: tab-terminated cells form columns, the text after a line's last tab
// does not, and a column's width is set per block of consecutive lines that have that column.

export interface AlignOptions {
  /** Least width of a column, padding included. Default 0. */
  minWidth?: number;
  /** Added to the widest cell of a column. Default 3. */
  padding?: number;
  /** Default ' '. */
  padChar?: string;
}

export function alignColumns(text: string, options: AlignOptions = {}): string {
  const { minWidth = 0, padding = 3, padChar = ' ' } = options;
  const lines = text.split('\n').map((line) => line.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!.map((cell, j) => (j < widths.length ? cell + padChar.repeat(widths[j]! - runeCount(cell)) : cell));
      out.push(cells.join(''));
    }
  };

  // Go's recursion: find each block of lines having a cell in this column, size the column over
  // the block, then lay out the columns to its right within the same block.
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= lines[row]!.length - 1) continue;
      writeLines(line0, row);
      line0 = row;
      let width = minWidth;
      for (; row < line1 && column < lines[row]!.length - 1; row++) {
        width = Math.max(width, runeCount(lines[row]![column]!) + padding);
      }
      widths.push(width);
      format(line0, row);
      widths.pop();
      line0 = row;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n');
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Width as Go's tabwriter counts it: one per code point. */
function runeCount(s: string): number {
  // Without surrogate pairs, every UTF-16 unit is one code point (the usual case: ps -a aligns
  // thousands of cells, and walking each by code point was a third of the alignment's time).
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}
