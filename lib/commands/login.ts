// pman login [options] REGISTRY
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { closeAgents } from '../registry/http.js';
import { login } from '../registry/login.js';
import { findCredentials } from '../registry/auth-file.js';
import { last } from './argv.js';
import { registryFlags, registryOptionsFrom } from './registry-flags.js';
import { prompt, readAll } from './prompt.js';
import { write, type CommandSpec } from './types.js';

export const loginCmd: CommandSpec = {
  usage: 'login [options] [REGISTRY]',
  positionals: '[registry]',
  builder: (y: Argv) =>
    registryFlags(y, { creds: false })
      .option('username', { alias: 'u', type: 'string', describe: 'Username for the registry' })
      .option('password', { alias: 'p', type: 'string', describe: 'Password for the registry (prefer --password-stdin)' })
      .option('password-stdin', { type: 'boolean', default: false, describe: 'Read the password from standard input' })
      .option('get-login', { type: 'boolean', default: false, describe: 'Print the username stored for the registry' }),
  handler: async (ctx, argv, io) => {
    const registry = argv.registry === undefined ? undefined : last(argv.registry)!;
    if (registry === undefined) throw new InvalidArgumentError('a registry is required: pman login REGISTRY');
    const opts = registryOptionsFrom(argv, process.env);
    if (argv['get-login'] === true) {
      const found = findCredentials([opts.authFile, ...opts.authFallbacks], registry);
      if (!found) throw new InvalidArgumentError(`not logged into ${registry}`);
      await write(io.stdout, `${found.credentials.username}\n`);
      return 0;
    }
    let username = last(argv.username);
    let password = last(argv.password);
    if (argv['password-stdin'] === true) {
      if (password !== undefined) throw new InvalidArgumentError('--password and --password-stdin cannot be used together');
      if (username === undefined) throw new InvalidArgumentError('--password-stdin needs --username');
      password = (await readAll(io.stdin)).replace(/\r?\n$/, '');
    }
    const tty = io.stdin.isTTY === true;
    if (username === undefined) {
      if (!tty) throw new InvalidArgumentError('a username is required: use --username (there is no terminal to ask on)');
      username = (await prompt(io, 'Username: ', false)).trim();
    }
    if (password === undefined) {
      if (!tty) throw new InvalidArgumentError('a password is required: use --password-stdin (there is no terminal to ask on)');
      password = await prompt(io, 'Password: ', true);
    }
    if (username === '' || password === '') throw new InvalidArgumentError('the username and password must not be empty');
    try {
      await login(ctx, { registry, credentials: { username, password }, registryOptions: opts });
    } finally {
      closeAgents();
    }
    await write(io.stdout, 'Login Succeeded!\n');
    return 0;
  },
};
