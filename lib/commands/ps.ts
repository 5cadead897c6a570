// pman ps [options]
import type { Argv } from 'yargs';
import { listForPs } from '../container/ps.js';
import { psJson, psRow } from '../container/view.js';
import { renderList } from '../format/list-output.js';
import { list, last } from './argv.js';
import type { CommandSpec } from './types.js';

const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
const HEADERS: Record<string, string> = {
  '.ID': 'CONTAINER ID',
  '.Image': 'IMAGE',
  '.ImageID': 'IMAGE ID',
  '.Command': 'COMMAND',
  '.CreatedHuman': 'CREATED',
  '.CreatedAt': 'CREATED AT',
  '.RunningFor': 'CREATED',
  '.Created': 'CREATED',
  '.Status': 'STATUS',
  '.State': 'STATE',
  '.Ports': 'PORTS',
  '.Names': 'NAMES',
  '.Labels': 'LABELS',
  '.ExitCode': 'EXIT CODE',
  '.Pid': 'PID',
};

export const ps: CommandSpec = {
  usage: 'ps [options]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Show all containers, not only running ones' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the container IDs' })
      .option('no-trunc', { type: 'boolean', default: false, describe: 'Do not truncate the output' })
      .option('filter', { alias: 'f', type: 'string', describe: 'Filter output (status=, name=, id=, label=, exited=, ancestor=)' })
      .option('format', { type: 'string', describe: 'Go template for the output, or json' }),
  handler: async (ctx, argv, io) => {
    const recs = await listForPs(ctx, { all: argv.all === true, filters: list(argv.filter) });
    const rows = recs.map((r) => psRow(r, argv['no-trunc'] === true));
    const spec = { defaultFormat: DEFAULT_FORMAT, headers: HEADERS, quiet: () => rows.map((r) => String(r.ID)), json: () => recs.map((r) => psJson(r)) };
    io.stdout.write(renderList(rows, spec, { format: last(argv.format), quiet: argv.quiet === true }));
    return 0;
  },
};
