// pman completion bash|zsh|fish: prints the shell completion script generated from the command
// table at build time (scripts/gen-completion.mjs writes dist/completion/pman{,.zsh,.fish}).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, PmanError } from '../errors.js';
import { PROJECT_ROOT } from '../project.js';
import type { CommandSpec } from './types.js';

const FILES: Record<string, string> = { bash: 'pman', zsh: 'pman.zsh', fish: 'pman.fish' };

export const completion: CommandSpec = {
  usage: 'completion bash|zsh|fish',
  positionals: '<shell>',
  handler: (_ctx, argv, io) => {
    const shell = String(argv.shell);
    if (!FILES[shell]) throw new InvalidArgumentError(`invalid shell "${shell}": use bash, zsh or fish`);
    const file = path.join(PROJECT_ROOT, 'dist/completion', FILES[shell]);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new PmanError('system', `cannot read the ${shell} completion "${file}": ${(err as Error).message}: rebuild pman (npm run compile)`);
    }
    io.stdout.write(text);
    return 0;
  },
};
