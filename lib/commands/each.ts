// Commands that act on several containers (stop, rm, kill …) go through every name, report each
// failure on its own line, and exit non-zero if any failed, like podman. The ways podman selects
// them besides names — --all, --latest, --filter, --cidfile — and --ignore are read here once.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError, exitCodeOf } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';
import { selectContainers, type Selection } from '../container/select-all.js';
import { list } from './argv.js';
import type { IO } from './types.js';

export interface EachOptions extends Selection {
  /** Names that match nothing are passed over silently (rm/stop --ignore). */
  ignore?: boolean;
  /** The exit code of a name that matches nothing (podman: rm 1, stop/kill 125). */
  notFoundExit?: number;
}

/** The names given as arguments and in --cidfile files; the selection flags as EachOptions. */
export function selectionFrom(argv: Record<string, unknown>, key: string, verb: string, ignore = argv.ignore === true): { refs: string[]; opts: EachOptions } {
  const refs = list(argv[key]);
  for (const file of list(argv.cidfile)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if (ignore && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new InvalidArgumentError(`cannot read --cidfile "${file}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    refs.push(text.trim());
  }
  return { refs, opts: { verb, all: argv.all === true, latest: argv.latest === true, filters: list(argv.filter), ignore } };
}

/** selectionFrom for the usual `[containers..]` positional, as forEachContainer's arguments. */
export function selection(argv: Record<string, unknown>, verb: string): [string[], EachOptions] {
  const { refs, opts } = selectionFrom(argv, 'containers', verb);
  return [refs, opts];
}

export async function forEachContainer(
  ctx: Context,
  io: IO,
  refs: string[],
  opts: EachOptions,
  fn: (rec: ContainerRecord, ref: string) => Promise<string | undefined>,
): Promise<number> {
  return reportEach(io, await selectContainers(ctx, refs, opts), fn, opts);
}

/** Runs fn on each resolved target in order; a failure is one error line, and the last one's code is returned. */
export async function reportEach<T>(
  io: IO,
  targets: Array<{ ref: string; rec?: T; err?: unknown }>,
  fn: (rec: T, ref: string) => Promise<string | undefined>,
  opts: Pick<EachOptions, 'ignore' | 'notFoundExit'> = {},
): Promise<number> {
  let code = 0;
  for (const t of targets) {
    try {
      if (t.err) throw t.err;
      const line = await fn(t.rec!, t.ref);
      if (line !== undefined) io.stdout.write(`${line}\n`);
    } catch (err) {
      if (err instanceof NotFoundError && opts.ignore) continue;
      io.stderr.write(`Error: ${(err as Error).message}\n`);
      code = err instanceof NotFoundError && opts.notFoundExit !== undefined ? opts.notFoundExit : exitCodeOf(err);
    }
  }
  return code;
}
