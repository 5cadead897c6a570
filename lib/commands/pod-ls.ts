// pman pod ps|ls [options]
import type { Argv } from 'yargs';
import { renderList } from '../format/list-output.js';
import { listPodsFiltered, sortPods } from '../pod/list.js';
import { podListJson, podRow } from '../pod/view.js';
import { last as lastValue, list } from './argv.js';
import type { CommandSpec } from './types.js';

const HEADERS: Record<string, string> = {
  '.ID': 'POD ID',
  '.Name': 'NAME',
  '.Status': 'STATUS',
  '.Created': 'CREATED',
  '.InfraID': 'INFRA ID',
  '.NumberOfContainers': '# OF CONTAINERS',
  '.Labels': 'LABELS',
  '.Networks': 'NETWORKS',
  '.ContainerNames': 'NAMES',
  '.ContainerIds': 'IDS',
  '.ContainerStatuses': 'STATUS',
  '.Id': 'POD ID',
  '.InfraId': 'INFRA ID',
  '.Cgroup': 'CGROUP',
  '.Namespace': 'NAMESPACES',
};

export const podLs: CommandSpec = {
  usage: 'pod ps [options]',
  positionals: '',
  builder: (y: Argv) =>
    y
      .option('filter', { alias: 'f', type: 'string', describe: 'Filter output (name=, id=, label=, status=, ctr-names=, ctr-ids=, ctr-status=, ctr-number=, network=, until=)' })
      .option('format', { type: 'string', describe: 'Go template for the output ("json" for JSON)' })
      .option('no-trunc', { type: 'boolean', default: false, describe: 'Do not truncate IDs' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the pod IDs' })
      .option('ctr-names', { type: 'boolean', default: false, describe: 'Show the names of the containers' })
      .option('ctr-ids', { type: 'boolean', default: false, describe: 'Show the IDs of the containers' })
      .option('ctr-status', { type: 'boolean', default: false, describe: 'Show the statuses of the containers' })
      .option('noheading', { type: 'boolean', default: false, describe: 'Do not print the header line' })
      .option('sort', { type: 'string', describe: 'Sort output by created, id, name, number or status (default created: newest first)' }),
  handler: async (ctx, argv, io) => {
    const pods = sortPods(await listPodsFiltered(ctx, list(argv.filter)), lastValue(argv.sort));
    const rows = pods.map((p) => podRow(p.pod, p.containers, argv['no-trunc'] === true));
    const extra = [argv['ctr-ids'] && '{{.ContainerIds}}', argv['ctr-names'] && '{{.ContainerNames}}', argv['ctr-status'] && '{{.ContainerStatuses}}'].filter(Boolean);
    // podman shows the containers' columns in place of their number.
    const last = extra.length ? extra.join('\t') : '{{.NumberOfContainers}}';
    const spec = {
      defaultFormat: `table {{.ID}}\t{{.Name}}\t{{.Status}}\t{{.Created}}\t{{.InfraID}}\t${last}`,
      headers: HEADERS,
      // podman 4.3.1: -q prints full IDs (the ID column is short).
      quiet: () => pods.map((p) => p.pod.id),
      json: () => pods.map((p) => podListJson(p.pod, p.containers)),
    };
    io.stdout.write(renderList(rows, spec, { format: argv.format as string | undefined, quiet: argv.quiet === true, noHeading: argv.noheading === true }));
    return 0;
  },
};
