// Kubernetes YAML files read into documents, each with the line it starts on, and written back
// (multi-document). The `yaml` package (a complete YAML 1.2 parser) is not bundled: it is
// required from node_modules when a kube command needs it, so no other command loads it (as
// smol-toml in lib/config/toml.ts).
import { createRequire } from 'node:module';
import { InvalidArgumentError } from '../errors.js';

let yamlLib: typeof import('yaml') | undefined;

function yaml(): typeof import('yaml') {
  yamlLib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlLib;
}

export interface KubeDocument {
  /** The parsed object. */
  value: Record<string, unknown>;
  /** 1-based line of the document's first content. */
  line: number;
}

/** The documents of a file (empty ones skipped); a syntax error or a non-object document names the file and line. */
export function readKubeDocuments(text: string, file: string): KubeDocument[] {
  const y = yaml();
  const lines = new y.LineCounter();
  const docs = y.parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const out: KubeDocument[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const pos = lines.linePos(err.pos[0]);
      throw new InvalidArgumentError(`${file}:${pos.line}: invalid YAML: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    const line = lines.linePos(doc.contents?.range?.[0] ?? 0).line;
    if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError(`${file}:${line}: a Kubernetes document must be a mapping with apiVersion and kind`);
    out.push({ value: value as Record<string, unknown>, line });
  }
  return out;
}

/** Documents as one multi-document YAML text. */
export function writeKubeDocuments(docs: object[]): string {
  const y = yaml();
  return docs.map((d) => y.stringify(d, { lineWidth: 0 })).join('---\n');
}
