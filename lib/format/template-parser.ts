// Turns lexed tokens into a small tree. Everything Go rejects when parsing (unknown functions,
// undefined variables, unbalanced {{end}}) is rejected here, before any data is looked at, so a
// bad --format fails even when there is nothing to list.
import { TemplateFault } from './template-fault.js';
import type { Token, TokenKind } from './template-lexer.js';

export type Literal = string | number | boolean | null;

export type Expr =
  | { kind: 'dot' }
  | { kind: 'var'; name: string }
  | { kind: 'func'; name: string }
  | { kind: 'literal'; value: Literal }
  | { kind: 'paren'; pipe: Pipe }
  /** `.A.B` (base dot), `$x.A`, `(pipe).A`. */
  | { kind: 'field'; base: Expr; names: string[] };

export interface Command {
  args: Expr[];
}

export interface Pipe {
  /** Variables declared (`:=`) or assigned (`=`) by the pipeline. */
  vars: string[];
  assign: boolean;
  cmds: Command[];
}

export type ControlKind = 'if' | 'with' | 'range';

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipe }
  | { kind: ControlKind; pipe: Pipe; body: Node[]; elseBody: Node[] };

type Stop = 'end' | 'else' | 'eof';

const UNSUPPORTED = new Set(['define', 'template', 'block', 'break', 'continue']);

export function parseTemplate(tokens: Token[], functions: ReadonlySet<string>): Node[] {
  const { nodes, stop } = new Parser(tokens, functions).list();
  if (stop !== 'eof') throw new TemplateFault(`unexpected {{${stop}}}`);
  return nodes;
}

class Parser {
  private pos = 0;
  /** Variables in scope, as Go checks them at parse time; `$` is the data passed in. */
  private readonly vars = ['$'];

  constructor(
    private readonly tokens: Token[],
    private readonly functions: ReadonlySet<string>,
  ) {}

  list(): { nodes: Node[]; stop: Stop } {
    const nodes: Node[] = [];
    for (;;) {
      const t = this.tokens[this.pos++];
      if (!t) return { nodes, stop: 'eof' };
      if (t.kind === 'text') {
        nodes.push({ kind: 'text', text: t.text });
        continue;
      }
      const word = this.peek();
      if (word.kind === 'ident') {
        if (word.text === 'end' || word.text === 'else') {
          this.pos++;
          if (word.text === 'end') this.expect('close', '{{end}}');
          return { nodes, stop: word.text };
        }
        if (word.text === 'if' || word.text === 'with' || word.text === 'range') {
          this.pos++;
          nodes.push(this.control(word.text));
          continue;
        }
        if (UNSUPPORTED.has(word.text)) throw new TemplateFault(`{{${word.text}}} is not supported`);
      }
      nodes.push({ kind: 'action', pipe: this.pipeline('command', 'close') });
    }
  }

  /** Parses the rest of an {{if}}, {{with}} or {{range}}, through its {{end}}. */
  private control(kind: ControlKind): Node {
    const outer = this.vars.length;
    const pipe = this.pipeline(kind, 'close');
    const inner = this.vars.length;
    const body = this.list();
    this.vars.length = inner;
    let elseBody: Node[] = [];
    if (body.stop === 'eof') throw new TemplateFault(`{{${kind}}} has no matching {{end}}`);
    if (body.stop === 'else') {
      const next = this.peek();
      if (next.kind === 'ident' && (next.text === 'if' || next.text === 'with')) {
        // {{else if X}}…{{end}} is {{else}}{{if X}}…{{end}}{{end}} with the outer {{end}} implied.
        if (next.text !== kind) throw new TemplateFault(`{{else ${next.text}}} is only allowed inside {{${next.text}}}`);
        this.pos++;
        elseBody = [this.control(kind)];
      } else {
        this.expect('close', '{{else}}');
        const rest = this.list();
        if (rest.stop === 'else') throw new TemplateFault(`{{${kind}}} has more than one {{else}}`);
        if (rest.stop === 'eof') throw new TemplateFault(`{{${kind}}} has no matching {{end}}`);
        elseBody = rest.nodes;
      }
    }
    this.vars.length = outer;
    return { kind, pipe, body: body.nodes, elseBody };
  }

  private pipeline(context: string, end: 'close' | 'rparen'): Pipe {
    const pipe: Pipe = { vars: [], assign: false, cmds: [] };
    if (this.peek().kind === 'var') {
      const start = this.pos;
      const names = [this.next().text];
      if (context === 'range' && this.peek().kind === 'comma') {
        this.pos++;
        names.push(this.expect('var', 'range declaration ","').text);
      }
      const op = this.peek().kind;
      if (op === 'declare' || op === 'assign') {
        this.pos++;
        pipe.vars = names;
        pipe.assign = op === 'assign';
        for (const name of names) if (pipe.assign && !this.vars.includes(name)) throw new TemplateFault(`undefined variable "${name}"`);
      } else if (names.length > 1) {
        throw new TemplateFault(`expected ":=" after range variables ${names.join(', ')}`);
      } else {
        this.pos = start;
      }
    }
    for (;;) {
      pipe.cmds.push(this.command(pipe.cmds.length, context));
      const t = this.next();
      if (t.kind === end) break;
      if (t.kind === 'pipe') continue;
      if (t.kind === 'close') throw new TemplateFault('unclosed left paren');
      throw new TemplateFault(`unexpected "${t.text}" in ${context}`);
    }
    // Declared only now: in `$x := $x` the right-hand $x is not yet defined, as in Go.
    if (!pipe.assign) this.vars.push(...pipe.vars);
    return pipe;
  }

  private command(stage: number, context: string): Command {
    const args: Expr[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'close' || t.kind === 'pipe' || t.kind === 'rparen') break;
      if (args.length > 0 && !t.spaced) throw new TemplateFault(`missing space before "${t.text}"`);
      args.push(this.operand());
    }
    const head = args[0];
    if (!head) throw new TemplateFault(`missing value for ${context}`);
    if (head.kind === 'literal' && head.value === null) throw new TemplateFault('nil is not a command');
    const callable = head.kind === 'func' || head.kind === 'field';
    if (stage > 0 && !callable) throw new TemplateFault(`non-executable command in pipeline stage ${stage + 1}`);
    if (args.length > 1 && !callable) throw new TemplateFault(`can't give argument to non-function ${describe(head)}`);
    return { args };
  }

  private operand(): Expr {
    const t = this.next();
    let base: Expr;
    const names: string[] = [];
    switch (t.kind) {
      case 'field':
        base = { kind: 'dot' };
        names.push(t.text);
        break;
      case 'dot':
        base = { kind: 'dot' };
        break;
      case 'var':
        if (!this.vars.includes(t.text)) throw new TemplateFault(`undefined variable "${t.text}"`);
        base = { kind: 'var', name: t.text };
        break;
      case 'string':
      case 'number':
        base = { kind: 'literal', value: t.value! };
        break;
      case 'ident':
        base = this.identifier(t.text);
        break;
      case 'lparen':
        base = { kind: 'paren', pipe: this.pipeline('parenthesized pipeline', 'rparen') };
        break;
      default:
        throw new TemplateFault(`unexpected "${t.text}" in operand`);
    }
    while (this.peek().kind === 'field' && !this.peek().spaced) names.push(this.next().text);
    if (names.length === 0) return base;
    if (base.kind === 'literal' || base.kind === 'func') throw new TemplateFault(`unexpected ".${names[0]}" after ${describe(base)}`);
    return { kind: 'field', base, names };
  }

  private identifier(name: string): Expr {
    if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true' };
    if (name === 'nil') return { kind: 'literal', value: null };
    if (this.functions.has(name)) return { kind: 'func', name };
    throw new TemplateFault(`function "${name}" not defined`);
  }

  private peek(): Token {
    // The lexer closes every action, so inside one there is always a next token.
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  private expect(kind: TokenKind, after: string): Token {
    const t = this.next();
    if (t.kind !== kind) throw new TemplateFault(`unexpected "${t.text}" after ${after}`);
    return t;
  }
}

/** How an operand reads in a message. */
export function describe(expr: Expr): string {
  switch (expr.kind) {
    case 'dot':
      return '.';
    case 'var':
      return expr.name;
    case 'func':
      return expr.name;
    case 'literal':
      return typeof expr.value === 'string' ? JSON.stringify(expr.value) : String(expr.value);
    case 'paren':
      return '(…)';
    case 'field':
      return `${expr.base.kind === 'dot' ? '' : describe(expr.base)}.${expr.names.join('.')}`;
  }
}
