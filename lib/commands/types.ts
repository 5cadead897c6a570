// The shape every command module exports. Command modules are thin: they declare flags, turn
// parsed argv into typed options and call one logic function; printing happens here, not in logic.
import type { Argv } from 'yargs';
import type { Context } from '../context.js';

export interface IO {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface CommandSpec {
  /** Usage line shown in help, e.g. 'rm [options] CONTAINER...'. */
  usage: string;
  /**
   * yargs positional spec for the default command, e.g. '[containers..]'. Omitted for commands
   * that take a trailing command (run, create, exec): those stop parsing flags at the first
   * positional (podman does the same) and read their positionals from argv._.
   */
  positionals?: string;
  builder?: (y: Argv) => Argv;
  /** false when -h means something else (run/create: --hostname). */
  shortHelp?: boolean;
  /**
   * Flags whose value may be left out (podman's `string[="true"]`, build --pull): they do not take
   * a next word that starts with a dash as their value, as every other flag does (lib/bool-flags.ts).
   */
  optionalValue?: string[];
  /** Returns the process exit code. */
  handler: (ctx: Context, argv: Record<string, unknown>, io: IO) => Promise<number> | number;
}

/** A line of the command table (index.ts, subcommands.ts): loaded only when its command runs. */
export interface CommandEntry {
  describe: string;
  load: () => Promise<CommandSpec>;
  /** Not listed in `pman --help` (a group's subcommand, e.g. volume-ls for `pman volume ls`). */
  hidden?: boolean;
}

/** Writes text to a stream, waiting for it to drain (so large output is never truncated at exit). */
export function write(stream: NodeJS.WritableStream, text: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once('drain', () => resolve());
  });
}
