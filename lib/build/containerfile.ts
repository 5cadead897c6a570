// A Containerfile read into stages. The syntax (escape directive, line continuations, comments,
// instruction flags, line numbers) is dockerfile-ast's, the parser editors use; this module only
// checks what pman must refuse before building anything: unknown instructions, instructions
// without arguments, anything but ARG before the first FROM. dockerfile-ast (with its language
// server types) is not bundled: it is required from node_modules when a file is parsed, so no
// other command's start-up reads or compiles it (as smol-toml in lib/config/toml.ts).
import { createRequire } from 'node:module';
import { InvalidArgumentError } from '../errors.js';

let dockerfileAst: typeof import('dockerfile-ast') | undefined;

export interface Instruction {
  /** Upper case: RUN, COPY … */
  keyword: string;
  /** The arguments after the flags, continuation lines joined. */
  args: string;
  /** --name=value flags before the arguments (COPY --from, --chown …); a bare flag has ''. */
  flags: Map<string, string>;
  /** 1-based line in the file. */
  line: number;
}

export interface Stage {
  /** 0-based position in the file. */
  index: number;
  /** The name after AS (lower case), if any. */
  name?: string;
  /** FROM's image argument, not yet expanded. */
  from: string;
  fromLine: number;
  instructions: Instruction[];
}

export interface Containerfile {
  /** The path (or "-" for standard input), for messages. */
  file: string;
  escape: string;
  /** ARG instructions before the first FROM: they may be used in FROM lines. */
  globalArgs: Instruction[];
  stages: Stage[];
}

export const KNOWN = new Set([
  'FROM', 'RUN', 'COPY', 'ADD', 'ENV', 'ARG', 'WORKDIR', 'USER', 'CMD', 'ENTRYPOINT', 'EXPOSE', 'LABEL',
  'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'MAINTAINER',
]);

/** Instructions whose argument may legitimately be empty-looking but never absent. */
function flagsOf(ins: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const getFlags = (ins as { getFlags?: () => { getName(): string; getValue(): string | null }[] }).getFlags;
  if (typeof getFlags !== 'function') return out;
  for (const f of getFlags.call(ins)) out.set(f.getName().toLowerCase(), f.getValue() ?? '');
  return out;
}

export function syntaxError(file: string, line: number, why: string): InvalidArgumentError {
  return new InvalidArgumentError(`cannot build from "${file}": line ${line}: ${why}`);
}

/** Parses instruction text (a file, or the argument of ONBUILD) into checked instructions. */
export function parseInstructions(text: string, file: string): { escape: string; instructions: Instruction[] } {
  dockerfileAst ??= createRequire(import.meta.url)('dockerfile-ast') as typeof import('dockerfile-ast');
  const doc = dockerfileAst.DockerfileParser.parse(text);
  const instructions: Instruction[] = [];
  for (const ins of doc.getInstructions()) {
    const keyword = ins.getKeyword().toUpperCase();
    const line = ins.getRange().start.line + 1;
    if (!KNOWN.has(keyword)) throw syntaxError(file, line, `unknown instruction "${ins.getKeyword()}"`);
    const args = (ins.getArgumentsContent() ?? '').trim();
    if (!args) throw syntaxError(file, line, `${keyword} needs arguments`);
    if (args.startsWith('<<')) throw syntaxError(file, line, `here-documents are not supported (${keyword} ${args.split('\n')[0]})`);
    instructions.push({ keyword, args, flags: flagsOf(ins), line });
  }
  return { escape: doc.getEscapeCharacter(), instructions };
}

/** FROM IMAGE [AS NAME] (and --platform, which must name this machine's). */
function parseFrom(file: string, ins: Instruction, index: number): Stage {
  const words = ins.args.split(/\s+/);
  let name: string | undefined;
  if (words.length === 3 && words[1].toUpperCase() === 'AS') name = words[2].toLowerCase();
  else if (words.length !== 1) throw syntaxError(file, ins.line, `FROM takes an image and optionally "AS name", not "${ins.args}"`);
  if (name !== undefined && !/^[a-z][a-z0-9._-]*$/.test(name)) throw syntaxError(file, ins.line, `invalid stage name "${words[2]}"`);
  return { index, name, from: words[0], fromLine: ins.line, instructions: [] };
}

export function parseContainerfile(text: string, file: string): Containerfile {
  const { escape, instructions } = parseInstructions(text, file);
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const stage = parseFrom(file, ins, stages.length);
      if (stage.name !== undefined && stages.some((s) => s.name === stage.name)) {
        throw syntaxError(file, ins.line, `stage name "${stage.name}" is used twice`);
      }
      stages.push(stage);
    } else if (stages.length === 0) {
      if (ins.keyword !== 'ARG') throw syntaxError(file, ins.line, `${ins.keyword} before the first FROM (only ARG may come first)`);
      globalArgs.push(ins);
    } else {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  if (stages.length === 0) throw new InvalidArgumentError(`cannot build from "${file}": it has no FROM instruction`);
  return { file, escape, globalArgs, stages };
}

/** The instruction as the step line shows it: keyword, flags, arguments. */
export function instructionText(ins: Instruction): string {
  const flags = [...ins.flags].map(([k, v]) => (v === '' ? `--${k}` : `--${k}=${v}`));
  return [ins.keyword, ...flags, ins.args.replace(/\s*\n\s*/g, ' ')].join(' ');
}
