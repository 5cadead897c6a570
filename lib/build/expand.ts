// Words and variables in a Containerfile's arguments, as docker reads them: quotes group and are
// removed, the escape character escapes, and $V, ${V}, ${V:-default}, ${V-default}, ${V:+alt},
// ${V+alt} are replaced from the build's variables (ARG and ENV) — in one pass, so a value that
// contains quotes or spaces is never split or unquoted again.
import { InvalidArgumentError } from '../errors.js';

export type Vars = ReadonlyMap<string, string>;

interface Lexer {
  text: string;
  pos: number;
  escape: string;
  vars: Vars;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

function fail(lx: Lexer, why: string): never {
  throw new InvalidArgumentError(`cannot expand "${lx.text}": ${why}`);
}

/** Reads up to (not including) an unescaped `}` at nesting level 0, expanding what it holds. */
function readModifierWord(lx: Lexer): string {
  let out = '';
  while (lx.pos < lx.text.length) {
    const c = lx.text[lx.pos];
    if (c === '}') return out;
    if (c === lx.escape && lx.pos + 1 < lx.text.length) {
      out += lx.text[lx.pos + 1];
      lx.pos += 2;
    } else if (c === '$') {
      lx.pos++;
      out += readVariable(lx);
    } else {
      out += c;
      lx.pos++;
    }
  }
  return fail(lx, 'a "${" has no closing "}"');
}

/** After a `$`: the value of the variable it names (a lone `$` stays itself). */
function readVariable(lx: Lexer): string {
  const t = lx.text;
  if (t[lx.pos] === '{') {
    lx.pos++;
    const start = lx.pos;
    while (lx.pos < t.length && NAME_CHAR.test(t[lx.pos])) lx.pos++;
    const name = t.slice(start, lx.pos);
    if (!name) fail(lx, 'a "${}" names no variable');
    const value = lx.vars.get(name);
    if (lx.pos >= t.length) fail(lx, 'a "${" has no closing "}"');
    if (t[lx.pos] === '}') {
      lx.pos++;
      return value ?? '';
    }
    let op = t[lx.pos];
    let colon = false;
    if (op === ':') {
      colon = true;
      lx.pos++;
      op = t[lx.pos];
    }
    if (op !== '-' && op !== '+') fail(lx, `unsupported modifier "${colon ? ':' : ''}${op ?? ''}" in "\${${name}…}"`);
    lx.pos++;
    const word = readModifierWord(lx);
    lx.pos++; // the closing brace
    const set = value !== undefined && (!colon || value !== '');
    if (op === '-') return set ? (value as string) : word;
    return set ? word : '';
  }
  if (lx.pos < t.length && NAME_START.test(t[lx.pos])) {
    const start = lx.pos;
    while (lx.pos < t.length && NAME_CHAR.test(t[lx.pos])) lx.pos++;
    return lx.vars.get(t.slice(start, lx.pos)) ?? '';
  }
  return '$';
}

/**
 * Splits `text` into words (unquoted whitespace separates them) with quotes removed and variables
 * expanded. With `split` false the whole text is one word (WORKDIR, USER, a value after `=`).
 */
export function expandWords(text: string, vars: Vars, escape = '\\', split = true): string[] {
  const lx: Lexer = { text, pos: 0, escape, vars };
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  while (lx.pos < text.length) {
    const c = text[lx.pos];
    if (split && /\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      lx.pos++;
      continue;
    }
    inWord = true;
    if (c === escape) {
      if (lx.pos + 1 < text.length) cur += text[lx.pos + 1];
      lx.pos += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", lx.pos + 1);
      if (end < 0) fail(lx, 'a single quote is not closed');
      cur += text.slice(lx.pos + 1, end);
      lx.pos = end + 1;
    } else if (c === '"') {
      lx.pos++;
      for (;;) {
        if (lx.pos >= text.length) fail(lx, 'a double quote is not closed');
        const d = text[lx.pos];
        if (d === '"') break;
        if (d === escape && lx.pos + 1 < text.length && ['"', escape, '$'].includes(text[lx.pos + 1])) {
          cur += text[lx.pos + 1];
          lx.pos += 2;
        } else if (d === '$') {
          lx.pos++;
          cur += readVariable(lx);
        } else {
          cur += d;
          lx.pos++;
        }
      }
      lx.pos++;
    } else if (c === '$') {
      lx.pos++;
      cur += readVariable(lx);
    } else {
      cur += c;
      lx.pos++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** One word: quotes removed, variables expanded, spaces kept. */
export function expandWord(text: string, vars: Vars, escape = '\\'): string {
  return expandWords(text, vars, escape, false).join('');
}

/** KEY=VALUE pairs (ENV, LABEL, ARG): each word split at its first `=`; `legacy` allows `KEY VALUE`. */
export function expandPairs(text: string, vars: Vars, escape: string, what: string, legacy: boolean): [string, string][] {
  const first = text.trim().split(/\s+/, 1)[0] ?? '';
  if (legacy && !first.includes('=')) {
    const rest = text.trim().slice(first.length).trim();
    if (!rest) throw new InvalidArgumentError(`${what} "${text.trim()}" needs a value: use ${what} KEY=VALUE`);
    return [[expandWord(first, vars, escape), expandWord(rest, vars, escape)]];
  }
  return expandWords(text, vars, escape).map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${what} "${w}" is not KEY=VALUE`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}
