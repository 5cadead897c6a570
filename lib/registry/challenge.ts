// WWW-Authenticate challenges (RFC 7235): a registry says how it wants to be authenticated in a
// 401's header, e.g. `Bearer realm="https://auth.example/token",service="reg",scope="repository:x:pull"`.
// Several challenges may share one header, and values may be quoted with escapes or bare tokens.

export interface Challenge {
  /** Lower-cased scheme: "basic", "bearer" … */
  scheme: string;
  /** Parameter names lower-cased; values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;

/** Parses every challenge in a WWW-Authenticate header value; malformed trailing text is ignored. */
export function parseChallenges(header: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skipSpace = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const token = (): string | undefined => {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(header);
    if (!m) return undefined;
    i = TOKEN.lastIndex;
    return m[0];
  };
  const quoted = (): string => {
    // header[i] === '"'
    i++;
    let s = '';
    while (i < n && header[i] !== '"') {
      if (header[i] === '\\' && i + 1 < n) i++;
      s += header[i++];
    }
    i++; // closing quote (or end)
    return s;
  };
  // Unquoted values: lenient (RFC tokens exclude ":" and "/", but some servers send bare URLs).
  const bare = (): string => {
    const start = i;
    while (i < n && header[i] !== ',' && header[i] !== ' ' && header[i] !== '\t') i++;
    return header.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < n) {
    skipSpace();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const start = i;
    const word = token();
    if (word === undefined) break;
    skipSpace();
    if (header[i] === '=' && current) {
      // A parameter of the current challenge (token68 values such as "abc==" also land here).
      i++;
      skipSpace();
      const value = header[i] === '"' ? quoted() : bare();
      current.params[word.toLowerCase()] = value;
      continue;
    }
    // A new scheme.
    if (i === start) break;
    current = { scheme: word.toLowerCase(), params: {} };
    out.push(current);
  }
  return out;
}

/** The scopes a bearer challenge asks for (space-separated in one `scope` parameter). */
export function challengeScopes(c: Challenge): string[] {
  return (c.params.scope ?? '').split(' ').filter(Boolean);
}
