// The Go text/template subset that podman's --format flags accept: compile once and render per
// item, or render a list of rows, in `table` form with a header line and aligned columns.
import { InvalidArgumentError } from '../errors.js';
import { alignColumns, type AlignOptions } from './tabwriter.js';
import { executeTemplate } from './template-exec.js';
import { TemplateFault } from './template-fault.js';
import { FUNCTION_NAMES } from './template-functions.js';
import { lexTemplate } from './template-lexer.js';
import { parseTemplate, type Expr, type Node, type Pipe } from './template-parser.js';

/** `table` and one separator; whatever follows is the row template. */
const TABLE_PREFIX = /^\s*table(?:\s|$)/;

export function compileTemplate(template: string): (data: unknown) => string {
  const nodes = parse(expandEscapes(template), template);
  return (data) => guard(template, () => executeTemplate(nodes, data));
}

export function renderTemplate(template: string, data: unknown): string {
  return compileTemplate(template)(data);
}

/**
 * One line per row, as podman prints --format output: the template, then a newline unless it ends
 * with one. With `table ` in front, a header line comes first and the columns are aligned; as in
 * podman, spaces in the text between actions then separate columns too. A header is
 * `headers['.Field.Path']` for the first field an action uses, else that field's name split at
 * its capitals and upper-cased (`.CreatedAt` → `CREATED AT`).
 */
export function formatRows(template: string, rows: unknown[], headers: Record<string, string> = {}, align: AlignOptions = {}): string {
  const expanded = expandEscapes(template);
  const table = TABLE_PREFIX.exec(expanded);
  let body = table ? expanded.slice(table[0].length) : expanded;
  if (table && body.trim() === '') throw templateError(template, 'no row template after "table"');
  if (!body.endsWith('\n')) body += '\n';
  let nodes = parse(body, template);
  if (table) nodes = spacesToTabs(nodes);
  const lines = rows.map((row) => guard(template, () => executeTemplate(nodes, row)));
  if (!table) return lines.join('');
  return alignColumns(headerLine(nodes, headers) + lines.join(''), align);
}

/**
 * What podman's inspect commands print for a --format template (containers, images, volumes,
 * networks, pods, secrets): the template once per object, each followed by a newline unless the
 * template ends with one. `table ` in front means what it does in podman 4.3.1's inspect: no
 * header line; the word `table ` is dropped wherever it appears and every space becomes a tab,
 * inside actions too (podman replaces them in the raw text before parsing), and the lines of all
 * objects are aligned together by its tabwriter (minimum width 12, padding 2).
 */
export function formatObjects(template: string, objects: unknown[]): string {
  const table = template.startsWith('table ');
  // One pass, each position trying the words in this order, as Go's strings.Replacer does.
  let body = table
    ? template.replace(/table |\\t| |\\n/g, (w) => (w === 'table ' ? '' : w === '\\n' ? '\n' : '\t'))
    : expandEscapes(template);
  if (!body.endsWith('\n')) body += '\n';
  const nodes = parse(body, template);
  const text = objects.map((o) => guard(template, () => executeTemplate(nodes, o))).join('');
  return table ? alignColumns(text, { minWidth: 12, padding: 2 }) : text;
}

/** Users type `\t` and `\n` in a shell, where they stay two characters; podman reads them as tab and newline. */
function expandEscapes(template: string): string {
  return template.replaceAll('\\t', '\t').replaceAll('\\n', '\n');
}

function parse(source: string, shownAs: string): Node[] {
  return guard(shownAs, () => parseTemplate(lexTemplate(source), FUNCTION_NAMES));
}

function guard<T>(template: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TemplateFault) throw templateError(template, err.message);
    throw err;
  }
}

function templateError(template: string, reason: string): InvalidArgumentError {
  const shown = template.replaceAll('\n', '\\n').replaceAll('\t', '\\t').replaceAll('\r', '\\r');
  return new InvalidArgumentError(`invalid --format template "${shown}": ${reason}`);
}

function spacesToTabs(nodes: Node[]): Node[] {
  return nodes.map((node) => {
    if (node.kind === 'text') return { kind: 'text', text: node.text.replaceAll(' ', '\t') };
    if (node.kind === 'action') return node;
    return { ...node, body: spacesToTabs(node.body), elseBody: spacesToTabs(node.elseBody) };
  });
}

/** The template with each top-level action replaced by the header of the field it shows. */
function headerLine(nodes: Node[], headers: Record<string, string>): string {
  return nodes
    .map((node) => {
      if (node.kind === 'text') return node.text;
      if (node.kind === 'action' && node.pipe.vars.length > 0) return '';
      const path = firstField(node.pipe);
      if (path === undefined) return '';
      return headers[path] ?? (path === '.' ? '' : headerName(path.slice(path.lastIndexOf('.') + 1)));
    })
    .join('');
}

/** The first field path (`.State.Status`) a pipeline reads, or `.` if it only uses dot. */
function firstField(pipe: Pipe): string | undefined {
  const inExpr = (expr: Expr): string | undefined => {
    if (expr.kind === 'dot') return '.';
    if (expr.kind === 'paren') return firstField(expr.pipe);
    if (expr.kind !== 'field') return undefined;
    return expr.base.kind === 'paren' ? inExpr(expr.base) : `.${expr.names.join('.')}`;
  };
  for (const cmd of pipe.cmds) {
    for (const arg of cmd.args) {
      const path = inExpr(arg);
      if (path !== undefined) return path;
    }
  }
  return undefined;
}

/** `CreatedAt` → `CREATED AT`, `ImageID` → `IMAGE ID`, as podman derives headers from field names. */
function headerName(field: string): string {
  return field
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toUpperCase();
}
