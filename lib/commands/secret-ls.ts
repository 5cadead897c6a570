// pman secret ls [options]
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { renderList } from '../format/list-output.js';
import { listSecrets } from '../secret/secrets.js';
import type { SecretRecord } from '../secret/secret-record.js';
import { secretInspectView, secretRow } from '../secret/view.js';
import { last, list } from './argv.js';
import type { CommandSpec } from './types.js';

const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}';
const HEADERS = { '.ID': 'ID', '.Name': 'NAME', '.Driver': 'DRIVER', '.CreatedAt': 'CREATED', '.UpdatedAt': 'UPDATED' };

/** podman's filters: name= and id= (prefix match on the ID, substring on the name); all must match. */
function secretFilter(specs: string[]): (s: SecretRecord) => boolean {
  const tests = specs.map((spec) => {
    const eq = spec.indexOf('=');
    const [key, value] = [spec.slice(0, eq), spec.slice(eq + 1)];
    if (key === 'name') return (s: SecretRecord) => s.name.includes(value);
    if (key === 'id') return (s: SecretRecord) => s.id.startsWith(value);
    throw new InvalidArgumentError(`invalid --filter "${spec}": use name=NAME or id=ID`);
  });
  return (s) => tests.every((t) => t(s));
}

export const secretLs: CommandSpec = {
  usage: 'secret ls [options]',
  positionals: '',
  builder: (y: Argv) =>
    y
      .option('filter', { alias: 'f', type: 'string', describe: 'Filter output (name=, id=)' })
      .option('format', { type: 'string', describe: 'Go template for the output ("json" for JSON)' })
      .option('noheading', { type: 'boolean', default: false, describe: 'Do not print headers' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print secret IDs only' }),
  handler: (ctx, argv, io) => {
    const secrets = listSecrets(ctx).filter(secretFilter(list(argv.filter)));
    const rows = secrets.map((s) => secretRow(s));
    const spec = { defaultFormat: DEFAULT_FORMAT, headers: HEADERS, quiet: () => secrets.map((s) => s.id), json: () => secrets.map(secretInspectView) };
    io.stdout.write(renderList(rows, spec, { format: last(argv.format), quiet: argv.quiet === true, noHeading: argv.noheading === true }));
    return 0;
  },
};
