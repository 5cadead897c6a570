// How a command prints what it found, the same way for every command: `--format json` as one JSON
// document, `-q` as one ID per line, a Go template per row (with `table`, a header and aligned
// columns), and without --format the command's default table; one object (info, version) likewise.
import { compileTemplate, formatRows } from './template.js';

/** podman aligns table columns with min width 12 and padding 2. */
export const PODMAN_COLUMNS = { minWidth: 12, padding: 2 };

export interface ListSpec<Row> {
  /** The table printed without --format, or with `--format table`. */
  defaultFormat: string;
  /** Column headers by field path ('.ID' → 'CONTAINER ID'); other fields get their name upper-cased. */
  headers: Record<string, string>;
  /** What `-q` prints, one line each. Default: none (the command has no -q). */
  quiet?: (rows: Row[]) => string[];
  /** The document `--format json` prints (podman's shape may differ from the template rows). Default: the rows. */
  json?: () => unknown[];
  /** Spaces of indentation in the JSON document (podman: 4; stats: 1). */
  jsonIndent?: number;
  /** `{{json .}}` prints the JSON document too, rather than one object per row (images, history). */
  jsonTemplateIsDocument?: boolean;
}

export interface ListFlags {
  format?: string;
  quiet?: boolean;
  /** Leave out the header line of a table. */
  noHeading?: boolean;
}

function isJson(format: string | undefined, spec: { jsonTemplateIsDocument?: boolean }): boolean {
  return format === 'json' || (spec.jsonTemplateIsDocument === true && format === '{{json .}}');
}

/** The text a list command prints for its rows (JSON wins over -q, as in podman). */
export function renderList<Row>(rows: Row[], spec: ListSpec<Row>, flags: ListFlags): string {
  if (isJson(flags.format, spec)) return `${JSON.stringify(spec.json ? spec.json() : rows, null, spec.jsonIndent ?? 4)}\n`;
  if (flags.quiet && spec.quiet) return spec.quiet(rows).map((id) => `${id}\n`).join('');
  const template = flags.format === undefined || flags.format === 'table' ? spec.defaultFormat : flags.format;
  const out = formatRows(template, rows, spec.headers, PODMAN_COLUMNS);
  return flags.noHeading && /^\s*table/.test(template) ? out.slice(out.indexOf('\n') + 1) : out;
}

/**
 * The text a command that shows one object prints: `--format json` as JSON, a template rendered
 * once, or without --format the command's own plain form.
 */
export function renderObject<T>(data: T, format: string | undefined, plain: (data: T) => string): string {
  if (!format) return plain(data);
  if (format === 'json') return `${JSON.stringify(data, null, 4)}\n`;
  return `${compileTemplate(format)(data)}\n`;
}
