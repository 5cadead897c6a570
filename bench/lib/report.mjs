// Markdown output: one section per benchmark, a results file per run under bench/results/, and
// the results section of docs/performance.md replaced in place by --update-docs.
import fs from 'node:fs';
import path from 'node:path';

export const DOCS_BEGIN = '<!-- bench-results:begin -->';
export const DOCS_END = '<!-- bench-results:end -->';

export function table(columns, rows) {
  // A "|" inside a cell, even inside backticks, would end the cell.
  const line = (cells) => `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`;
  const align = `| ${columns.map((c, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`;
  return [line(columns), align, ...rows.map(line)].join('\n');
}

export const fmt = {
  ms: (x) => (Number.isFinite(x) ? x.toFixed(1) : '–'),
  mib: (kib) => (Number.isFinite(kib) ? (kib / 1024).toFixed(1) : '–'),
  ratio: (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–'),
};

export function section({ title, intro, columns, rows, notes = [] }) {
  return [`### ${title}`, '', intro, '', table(columns, rows), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

/** "met"/"not met" line for a target such as ratio <= 0.7. */
export function targetLine(what, value, limit, better) {
  if (!Number.isFinite(value)) return `Target: ${what} — not measured.`;
  const met = better === 'lower' ? value <= limit : value >= limit;
  return `Target: ${what} — **${met ? 'met' : 'not met'}** (${fmt.ratio(value)}).`;
}

export function writeResults(dir, markdown, date = new Date()) {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = date.toISOString().replace(/\.\d+Z$/, '').replace('T', '-').replaceAll(':', '');
  const file = path.join(dir, `${stamp}.md`);
  fs.writeFileSync(file, `# pman benchmark results\n\n${markdown}\n`);
  return file;
}

export function updateDocs(file, markdown) {
  const text = fs.readFileSync(file, 'utf8');
  const begin = text.indexOf(DOCS_BEGIN);
  const end = text.indexOf(DOCS_END);
  if (begin < 0 || end < begin) {
    throw new Error(`Cannot update "${file}": markers ${DOCS_BEGIN} … ${DOCS_END} not found`);
  }
  const next = `${text.slice(0, begin + DOCS_BEGIN.length)}\n${markdown}\n${text.slice(end)}`;
  fs.writeFileSync(file, next);
}
