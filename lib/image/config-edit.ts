// The config edits that `--change` (import, commit) and build's metadata steps make alike: how a
// command is written (exec or shell form) and setting one variable in an Env list. What differs
// between them stays with each: build expands variables in the same pass as it removes quotes and
// runs shell forms with its SHELL; `--change` has neither. Which config fields a format keeps is
// the same for build and commit.

/** Exec form (a JSON array of strings) or shell form (the text, for a shell to run), as docker reads a command. */
export function commandForm(text: string): { exec: string[] } | { shell: string } {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return { exec: v as string[] };
    } catch {
      /* not JSON: shell form, as docker reads it */
    }
  }
  return { shell: t };
}

/** env with KEY set to value: an earlier KEY is dropped, the new one goes last. */
export function withEnv(env: readonly string[], key: string, value: string): string[] {
  const out = env.filter((e) => e.split('=', 1)[0] !== key);
  out.push(`${key}=${value}`);
  return out;
}

/** The config as the image stores it: docker-only fields (Healthcheck, Shell, OnBuild) only in the docker format. */
export function configForFormat<T extends Record<string, unknown>>(config: T, format: 'oci' | 'docker'): T {
  if (format === 'docker') return config;
  const { Healthcheck: _h, Shell: _s, OnBuild: _o, ...rest } = config;
  return rest as T;
}
