// The part of TOML that containers' registries.conf files use: comments, [tables],
// [[arrays of tables]], dotted and quoted keys, strings (basic and literal), booleans, integers and
// (multi-line) arrays. Enough to read real registries.conf files; anything else is a clear error.

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export class TomlError extends Error {}

export function parseToml(text: string): TomlTable {
  const root: TomlTable = {};
  let table: TomlTable = root;
  let i = 0;
  let line = 1;
  const n = text.length;
  const fail = (msg: string): never => {
    throw new TomlError(`line ${line}: ${msg}`);
  };
  const skipWs = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const skipWsNl = () => {
    for (;;) {
      skipWs();
      if (text[i] === '#') while (i < n && text[i] !== '\n') i++;
      if (text[i] === '\n' || text[i] === '\r') {
        if (text[i] === '\n') line++;
        i++;
        continue;
      }
      return;
    }
  };
  const endOfLine = () => {
    skipWs();
    if (text[i] === '#') while (i < n && text[i] !== '\n') i++;
    if (text[i] === '\r') i++;
    if (i < n && text[i] !== '\n') fail(`unexpected "${text[i]}"`);
  };
  const basicString = (): string => {
    i++;
    let s = '';
    while (i < n && text[i] !== '"') {
      if (text[i] === '\n') fail('unterminated string');
      if (text[i] === '\\') {
        const e = text[++i];
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
        if (e in map) s += map[e];
        else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          const hex = text.slice(i + 1, i + 1 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) fail('invalid unicode escape');
          s += String.fromCodePoint(parseInt(hex, 16));
          i += len;
        } else fail(`invalid escape "\\${e}"`);
        i++;
        continue;
      }
      s += text[i++];
    }
    if (i >= n) fail('unterminated string');
    i++;
    return s;
  };
  const literalString = (): string => {
    const end = text.indexOf("'", i + 1);
    const nl = text.indexOf('\n', i + 1);
    if (end < 0 || (nl >= 0 && nl < end)) fail('unterminated string');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const key = (): string[] => {
    const parts: string[] = [];
    for (;;) {
      skipWs();
      if (text[i] === '"') parts.push(basicString());
      else if (text[i] === "'") parts.push(literalString());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(text.slice(i, i + 256));
        if (!m) fail('expected a key');
        parts.push((m as RegExpExecArray)[0]);
        i += (m as RegExpExecArray)[0].length;
      }
      skipWs();
      if (text[i] !== '.') return parts;
      i++;
    }
  };
  const value = (): TomlValue => {
    const c = text[i];
    if (c === '"') {
      if (text.startsWith('"""', i)) fail('multi-line strings are not supported');
      return basicString();
    }
    if (c === "'") return literalString();
    if (c === '[') {
      i++;
      const arr: TomlValue[] = [];
      for (;;) {
        skipWsNl();
        if (text[i] === ']') {
          i++;
          return arr;
        }
        arr.push(value());
        skipWsNl();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]" in an array');
      }
    }
    if (c === '{') {
      i++;
      const t: TomlTable = {};
      skipWs();
      if (text[i] === '}') {
        i++;
        return t;
      }
      for (;;) {
        const k = key();
        if (text[i] !== '=') fail('expected "="');
        i++;
        skipWs();
        assign(t, k, value());
        skipWs();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return t;
        }
        fail('expected "," or "}" in an inline table');
      }
    }
    const m = /^[A-Za-z0-9_+.:-]+/.exec(text.slice(i, i + 64));
    if (!m) return fail(`unexpected "${c ?? 'end of file'}"`);
    const word = m[0];
    i += word.length;
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (/^[+-]?\d[\d_]*$/.test(word)) return Number(word.replace(/_/g, ''));
    return fail(`unsupported value "${word}"`);
  };
  const assign = (t: TomlTable, k: string[], v: TomlValue) => {
    let cur = t;
    for (const part of k.slice(0, -1)) {
      const next = cur[part];
      if (next === undefined) cur = cur[part] = {};
      else if (typeof next === 'object' && !Array.isArray(next)) cur = next;
      else fail(`key "${k.join('.')}" conflicts with an earlier value`);
    }
    const last = k[k.length - 1];
    if (last in cur) fail(`duplicate key "${k.join('.')}"`);
    cur[last] = v;
  };
  const walk = (k: string[], arrayTable: boolean): TomlTable => {
    let cur = root;
    for (let j = 0; j < k.length; j++) {
      const part = k[j];
      const lastPart = j === k.length - 1;
      let next = cur[part];
      if (lastPart && arrayTable) {
        if (next === undefined) next = cur[part] = [];
        if (!Array.isArray(next)) fail(`"${k.join('.')}" is not an array of tables`);
        const t: TomlTable = {};
        (next as TomlValue[]).push(t);
        return t;
      }
      if (next === undefined) next = cur[part] = {};
      if (Array.isArray(next)) next = next[next.length - 1];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) fail(`"${k.join('.')}" is not a table`);
      cur = next as TomlTable;
    }
    return cur;
  };
  for (;;) {
    skipWsNl();
    if (i >= n) break;
    if (text[i] === '[') {
      const arrayTable = text[i + 1] === '[';
      i += arrayTable ? 2 : 1;
      const k = key();
      if (text[i] !== ']' || (arrayTable && text[i + 1] !== ']')) fail('expected "]"');
      i += arrayTable ? 2 : 1;
      table = walk(k, arrayTable);
      endOfLine();
      continue;
    }
    const k = key();
    if (text[i] !== '=') fail('expected "=" after a key');
    i++;
    skipWs();
    assign(table, k, value());
    endOfLine();
  }
  return root;
}
