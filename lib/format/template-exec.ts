// Walks a parsed template over one piece of data and returns the text, with Go's semantics for
// dot, variables, pipelines and control structures.
import { TemplateFault } from './template-fault.js';
import { FUNCTIONS, LAZY_FUNCTIONS } from './template-functions.js';
import { describe, type Command, type Expr, type Node, type Pipe } from './template-parser.js';
import { fieldOf, formatValue, isTrue, printValue, sortedEntries } from './template-values.js';

/** Marks "no piped value": undefined is a real value here (a missing map key). */
const NONE = Symbol('none');

/**
 * No arguments, shared: `ps -a` renders thousands of rows, and an array made per field and per
 * command was most of the renderer's garbage. Never written to.
 */
const NO_EXPRS = Object.freeze([]) as unknown as Expr[];
const NO_VALUES = Object.freeze([]) as unknown as unknown[];

export function executeTemplate(nodes: Node[], data: unknown): string {
  const exec = new Executor(data);
  exec.walk(nodes, data);
  return exec.out.join('');
}

class Executor {
  readonly out: string[] = [];
  /** A stack: declarations push, the end of their control structure pops. */
  private readonly vars: { name: string; value: unknown }[];

  constructor(data: unknown) {
    this.vars = [{ name: '$', value: data }];
  }

  walk(nodes: Node[], dot: unknown): void {
    for (const node of nodes) {
      if (node.kind === 'text') this.out.push(node.text);
      else if (node.kind === 'action') {
        const value = this.pipe(node.pipe, dot);
        if (node.pipe.vars.length === 0) this.out.push(printValue(value));
      } else if (node.kind === 'range') this.range(node.pipe, node.body, node.elseBody, dot);
      else {
        const mark = this.vars.length;
        const value = this.pipe(node.pipe, dot);
        if (isTrue(value)) this.walk(node.body, node.kind === 'with' ? value : dot);
        else this.walk(node.elseBody, dot);
        this.vars.length = mark;
      }
    }
  }

  private range(pipe: Pipe, body: Node[], elseBody: Node[], dot: unknown): void {
    const mark = this.vars.length;
    const value = this.evalPipe(pipe, dot);
    // As in Go, the variables hold the whole value until the first element (and in {{else}}).
    this.bind(pipe, pipe.vars.map(() => value));
    const items = rangeItems(value);
    if (items.length === 0) this.walk(elseBody, dot);
    for (const [key, element] of items) {
      const iteration = this.vars.length;
      // One variable is the element; two are key (or index) and element.
      this.bind(pipe, pipe.vars.length === 1 ? [element] : [key, element]);
      this.walk(body, element);
      this.vars.length = iteration;
    }
    this.vars.length = mark;
  }

  private pipe(pipe: Pipe, dot: unknown): unknown {
    const value = this.evalPipe(pipe, dot);
    if (pipe.vars.length > 0) this.bind(pipe, [value]);
    return value;
  }

  private evalPipe(pipe: Pipe, dot: unknown): unknown {
    let value: unknown = NONE;
    for (const cmd of pipe.cmds) value = this.command(cmd, dot, value);
    return value;
  }

  private bind(pipe: Pipe, values: unknown[]): void {
    pipe.vars.forEach((name, i) => {
      if (!pipe.assign) this.vars.push({ name, value: values[i] });
      else this.variable(name).value = values[i];
    });
  }

  /** The innermost variable of that name; the parser has checked that one is in scope. */
  private variable(name: string): { name: string; value: unknown } {
    for (let i = this.vars.length - 1; ; i--) if (this.vars[i]!.name === name) return this.vars[i]!;
  }

  private command(cmd: Command, dot: unknown, piped: unknown): unknown {
    const head = cmd.args[0]!;
    const rest = cmd.args.length > 1 ? cmd.args.slice(1) : NO_EXPRS;
    if (head.kind === 'func') return this.call(head.name, rest, dot, piped);
    if (head.kind === 'field') return this.field(head, dot, rest, piped);
    return this.arg(head, dot);
  }

  private arg(expr: Expr, dot: unknown): unknown {
    switch (expr.kind) {
      case 'dot':
        return dot;
      case 'var':
        return this.variable(expr.name).value;
      case 'literal':
        return expr.value;
      case 'paren':
        return this.pipe(expr.pipe, dot);
      case 'func':
        return this.call(expr.name, [], dot, NONE);
      case 'field':
        return this.field(expr, dot, [], NONE);
    }
  }

  /** A field chain. A field holding a function is a method, called on its object as Go calls methods. */
  private field(expr: Extract<Expr, { kind: 'field' }>, dot: unknown, argExprs: Expr[], piped: unknown): unknown {
    let value = this.arg(expr.base, dot);
    const names = expr.names;
    for (let i = 0; i < names.length; i++) {
      const receiver = value;
      value = fieldOf(receiver, names[i]!);
      // Only the last name takes the arguments (and the piped value); most fields have none.
      const withArgs = i === names.length - 1 && (argExprs.length > 0 || piped !== NONE);
      const args = withArgs ? this.args(argExprs, dot, piped) : NO_VALUES;
      if (typeof value === 'function') value = (value as (...a: unknown[]) => unknown).apply(receiver, args);
      else if (args.length > 0) throw new TemplateFault(`can't give argument to non-function ${describe(expr)}`);
    }
    return value;
  }

  private args(exprs: Expr[], dot: unknown, piped: unknown): unknown[] {
    const values = exprs.map((e) => this.arg(e, dot));
    if (piped !== NONE) values.push(piped);
    return values;
  }

  private call(name: string, argExprs: Expr[], dot: unknown, piped: unknown): unknown {
    const count = argExprs.length + (piped === NONE ? 0 : 1);
    if (LAZY_FUNCTIONS.has(name)) {
      if (count === 0) throw new TemplateFault(`wrong number of args for ${name}: want at least 1 got 0`);
      // and: the first false argument, or the last; or: the first true one, or the last. Later
      // arguments are not evaluated, so `and .A .A.B` is safe when .A is nil.
      let value: unknown;
      for (const e of argExprs) {
        value = this.arg(e, dot);
        if (isTrue(value) === (name === 'or')) return value;
      }
      return piped === NONE ? value : piped;
    }
    const fn = FUNCTIONS.get(name)!;
    const [min, max] = fn.arity;
    if (count < min || count > max) {
      const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw new TemplateFault(`wrong number of args for ${name}: want ${want} got ${count}`);
    }
    const args = this.args(argExprs, dot, piped);
    try {
      return fn.call(args);
    } catch (err) {
      if (err instanceof TemplateFault) throw new TemplateFault(`error calling ${name}: ${err.message}`);
      throw err;
    }
  }
}

/** What {{range}} visits: list elements by index, map entries by sorted key, 0…n-1 for a number n. */
function rangeItems(value: unknown): [unknown, unknown][] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.map((v, i) => [i, v]);
  if (Number.isInteger(value)) return Array.from({ length: Math.max(0, value as number) }, (_, i) => [i, i]);
  if (typeof value === 'object' && !(value instanceof Date)) return sortedEntries(value);
  throw new TemplateFault(`range can't iterate over ${formatValue(value)}`);
}
