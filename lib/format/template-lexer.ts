// Splits a --format template into text and the tokens of its {{actions}}. Trim markers ("{{- " and
// " -}}") and comments are dealt with here, so the parser never sees what they remove.
import { TemplateFault } from './template-fault.js';

export type TokenKind =
  | 'text'
  | 'open'
  | 'close'
  | 'field'
  | 'dot'
  | 'var'
  | 'ident'
  | 'string'
  | 'number'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'declare'
  | 'assign'
  | 'comma';

export interface Token {
  kind: TokenKind;
  /** The source text; for a field the name without its dot, for text the text itself. */
  text: string;
  /** The value of a string or number literal. */
  value?: string | number;
  /** White space before the token: `.A .B` are two operands, `.A.B` one chain. */
  spaced: boolean;
}

// Go trims exactly these around "{{- " and " -}}", not every Unicode space.
const SPACE = /[ \t\r\n]/;
const NAME = /[\p{L}\p{N}_]*/uy;
const NUMBER = /[+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/y;
const SYMBOLS: Record<string, TokenKind> = { '|': 'pipe', '(': 'lparen', ')': 'rparen', ',': 'comma', '=': 'assign' };

export function lexTemplate(src: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let trimText = false;
  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    let text = src.slice(pos, open === -1 ? src.length : open);
    if (trimText) text = text.replace(/^[ \t\r\n]+/, '');
    if (open === -1) {
      if (text) tokens.push({ kind: 'text', text, spaced: false });
      break;
    }
    const trimLeft = src[open + 2] === '-' && SPACE.test(src[open + 3] ?? '');
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    if (text) tokens.push({ kind: 'text', text, spaced: false });
    const end = lexAction(src, open + (trimLeft ? 3 : 2), tokens);
    pos = end.pos;
    trimText = end.trimRight;
  }
  return tokens;
}

/** Lexes one action from just after "{{" (and its trim marker) through its "}}". */
function lexAction(src: string, start: number, tokens: Token[]): { pos: number; trimRight: boolean } {
  let p = start;
  const skipSpace = (): boolean => {
    const from = p;
    while (p < src.length && SPACE.test(src[p]!)) p++;
    return p > from;
  };
  const closeAt = (spaced: boolean): { pos: number; trimRight: boolean } | undefined => {
    if (src.startsWith('}}', p)) return { pos: p + 2, trimRight: false };
    if (spaced && src.startsWith('-}}', p)) return { pos: p + 3, trimRight: true };
    return undefined;
  };

  skipSpace();
  if (src.startsWith('/*', p)) {
    const end = src.indexOf('*/', p + 2);
    if (end === -1) throw new TemplateFault('unclosed comment');
    p = end + 2;
    const close = closeAt(skipSpace());
    if (!close) throw new TemplateFault('comment ends before closing delimiter');
    return close;
  }
  p = start;
  tokens.push({ kind: 'open', text: '{{', spaced: false });
  for (;;) {
    const spaced = skipSpace() || tokens[tokens.length - 1]!.kind === 'open';
    if (p >= src.length) throw new TemplateFault('unclosed action');
    const close = closeAt(spaced);
    if (close) {
      tokens.push({ kind: 'close', text: '}}', spaced });
      return close;
    }
    const c = src[p]!;
    const token = (kind: TokenKind, end: number, value?: string | number): void => {
      tokens.push({ kind, text: src.slice(p, end), value, spaced });
      p = end;
    };
    if (src.startsWith(':=', p)) token('declare', p + 2);
    else if (SYMBOLS[c]) token(SYMBOLS[c]!, p + 1);
    else if (c === '"') token('string', ...quoted(src, p));
    else if (c === '`') {
      const end = src.indexOf('`', p + 1);
      if (end === -1) throw new TemplateFault('unterminated raw quoted string');
      token('string', end + 1, src.slice(p + 1, end));
    } else if (c === '$') token('var', nameEnd(src, p + 1));
    else if (c === '.' && /[\p{L}_]/u.test(src[p + 1] ?? '')) {
      const end = nameEnd(src, p + 1);
      tokens.push({ kind: 'field', text: src.slice(p + 1, end), spaced });
      p = end;
    } else if (/[0-9+.-]/.test(c) && matchEnd(NUMBER, src, p) > p) {
      const end = matchEnd(NUMBER, src, p);
      const literal = src.slice(p, end);
      if (/[\p{L}\p{N}_.]/u.test(src[end] ?? '')) throw new TemplateFault(`bad number syntax "${literal}${src[end]}"`);
      // Number() reads "0x1F" but not "-0x1F", so the sign is applied apart.
      const sign = literal.startsWith('-') ? -1 : 1;
      token('number', end, sign * Number(literal.replace(/^[+-]/, '')));
    } else if (c === '.') token('dot', p + 1);
    else if (/[\p{L}_]/u.test(c)) token('ident', nameEnd(src, p));
    else throw new TemplateFault(`unexpected "${c}" in action`);
  }
}

function nameEnd(src: string, from: number): number {
  return Math.max(from, matchEnd(NAME, src, from));
}

/** Where a sticky regex matching at `from` ends, or -1 when it does not match there. */
function matchEnd(re: RegExp, src: string, from: number): number {
  re.lastIndex = from;
  return re.test(src) ? re.lastIndex : -1;
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };

/** Scans a Go interpreted string starting at the opening quote; returns its end and its value. */
function quoted(src: string, start: number): [number, string] {
  let value = '';
  for (let p = start + 1; p < src.length; p++) {
    const c = src[p]!;
    if (c === '"') return [p + 1, value];
    if (c !== '\\') {
      value += c;
      continue;
    }
    const m = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3}))/.exec(src.slice(p + 1, p + 10));
    if (m) {
      const hex = m[1] ?? m[2] ?? m[3];
      value += String.fromCodePoint(hex !== undefined ? parseInt(hex, 16) : parseInt(m[4]!, 8));
      p += m[0].length;
    } else if (ESCAPES[src[p + 1] ?? ''] !== undefined) {
      value += ESCAPES[src[++p]!];
    } else {
      throw new TemplateFault(`unknown escape sequence "\\${src[p + 1] ?? ''}" in string`);
    }
  }
  throw new TemplateFault('unterminated quoted string');
}
