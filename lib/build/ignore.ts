// .containerignore / .dockerignore: which paths of the build context COPY and ADD never see.
// Docker's rules: one pattern a line, `#` comments, paths cleaned and taken from the context
// root, `*` `?` `[…]` within one path element, `**` across any number of them, `!` re-includes;
// the last pattern that matches a path (or one of its parent directories) decides.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';

interface Rule {
  re: RegExp;
  exception: boolean;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A path pattern as an anchored RegExp: `*`, `?`, `[…]` stay within one element, `**` crosses them. */
export function pathPattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) throw new InvalidArgumentError(`invalid pattern "${pattern}": "[" is not closed`);
      const body = pattern.slice(i + 1, end);
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

export function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

export class IgnoreRules {
  private constructor(private readonly rules: Rule[]) {}

  static none(): IgnoreRules {
    return new IgnoreRules([]);
  }

  static parse(text: string): IgnoreRules {
    const rules: Rule[] = [];
    for (const raw of text.split('\n')) {
      let line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const exception = line.startsWith('!');
      if (exception) line = line.slice(1).trim();
      const clean = path.posix.normalize(line).replace(/^\/+/, '').replace(/\/+$/, '');
      if (!clean || clean === '.') continue;
      rules.push({ re: pathPattern(clean), exception });
    }
    return new IgnoreRules(rules);
  }

  /** The rules of <context>/.containerignore, else .dockerignore (none when neither exists). */
  static load(contextDir: string, explicit?: string): IgnoreRules {
    const candidates = explicit ? [explicit] : [path.join(contextDir, '.containerignore'), path.join(contextDir, '.dockerignore')];
    for (const f of candidates) {
      try {
        return IgnoreRules.parse(fs.readFileSync(f, 'utf8'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new InvalidArgumentError(`cannot read ignore file "${f}": ${(err as Error).message}`);
      }
    }
    return IgnoreRules.none();
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** Some `!` rule exists: an excluded directory may still hold included files. */
  get hasExceptions(): boolean {
    return this.rules.some((r) => r.exception);
  }

  /** True when the context-relative path `rel` ("a/b/c") is excluded. */
  excludes(rel: string): boolean {
    if (this.rules.length === 0 || rel === '') return false;
    const prefixes: string[] = [];
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) prefixes.push(parts.slice(0, i).join('/'));
    let excluded = false;
    for (const r of this.rules) {
      if (prefixes.some((p) => r.re.test(p))) excluded = !r.exception;
    }
    return excluded;
  }
}
