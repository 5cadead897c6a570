// pman system df [-v] [--format …]: disk usage of images, containers and volumes.
import type { Argv } from 'yargs';
import { STATS_SIZE, formatBytes } from '../format/bytes.js';
import { humanDuration } from '../format/humanize.js';
import { renderList } from '../format/list-output.js';
import { shortId } from '../state/ids.js';
import { diskUsage, type DfSummary } from '../system/df.js';
import { last } from './argv.js';
import type { CommandSpec } from './types.js';

// podman's df prints go-units' HumanSize (4 significant digits: 2.141MB, 409.6kB) and ages without "ago".
const size = (n: number) => formatBytes(n, STATS_SIZE);
const age = (iso: string) => humanDuration(Date.now() - Date.parse(iso));

/**
 * A summary row as podman's template sees it: Size and Reclaimable as text, while `{{json .}}`
 * prints the numbers (podman's struct); docker's TotalCount, RawSize, RawReclaimable beside them.
 */
function summaryRow(s: DfSummary): Record<string, unknown> {
  const row = {
    Type: s.Type,
    Total: s.Total,
    Active: s.Active,
    Size: size(s.Size),
    Reclaimable: `${size(s.Reclaimable)} (${s.Size ? Math.round((100 * s.Reclaimable) / s.Size) : 0}%)`,
  };
  return Object.defineProperties(row, {
    TotalCount: { value: s.Total },
    RawSize: { value: s.Size },
    RawReclaimable: { value: s.Reclaimable },
    toJSON: { value: () => s },
  });
}

export const systemDf: CommandSpec = {
  usage: 'system df [options]',
  positionals: '',
  builder: (y: Argv) =>
    y
      .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Show each image, container and volume' })
      .option('format', { type: 'string', describe: 'Go template for each row, or json' }),
  handler: (ctx, argv, io) => {
    const { summary, detail } = diskUsage(ctx);
    const format = last(argv.format);
    // As podman 4.3.1: -v prints its tables whatever --format says.
    if (argv.verbose !== true) {
      const rows = summary.map(summaryRow);
      const spec = {
        defaultFormat: 'table {{.Type}}\t{{.Total}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}',
        headers: { '.Type': 'TYPE', '.Total': 'TOTAL', '.Active': 'ACTIVE', '.Size': 'SIZE', '.Reclaimable': 'RECLAIMABLE' },
        json: () => summary,
      };
      io.stdout.write(renderList(rows, spec, { format }));
      return 0;
    }
    // One row per name, as podman 4.3.1 (one <none> row for an untagged image).
    const images = detail.images.flatMap((i) =>
      (i.names.length ? i.names : ['<none>:<none>']).map((name) => {
        const [repo, tag] = [name.slice(0, name.lastIndexOf(':')), name.slice(name.lastIndexOf(':') + 1)];
        return { Repository: repo, Tag: tag, ImageID: shortId(i.id), Created: age(i.created), Size: size(i.size), SharedSize: size(i.shared), UniqueSize: size(i.unique), Containers: i.containers };
      }),
    );
    const containers = detail.containers.map(({ rec, size: s }) => ({
      ContainerID: shortId(rec.id),
      Image: shortId(rec.image),
      Command: [...rec.config.entrypoint, ...rec.config.cmd].join(' '),
      LocalVolumes: rec.config.mounts?.filter((m) => m.type === 'volume').length ?? 0,
      Size: size(s),
      Created: age(rec.created),
      Status: rec.state.status,
      Names: rec.name,
    }));
    const volumes = detail.volumes.map((v) => ({ VolumeName: v.name, Links: v.links, Size: size(v.size) }));
    const table = (rows: object[], template: string, headers: Record<string, string>) => renderList(rows, { defaultFormat: template, headers }, {});
    io.stdout.write('Images space usage:\n\n');
    io.stdout.write(table(images, 'table {{.Repository}}\t{{.Tag}}\t{{.ImageID}}\t{{.Created}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}', { '.ImageID': 'IMAGE ID', '.SharedSize': 'SHARED SIZE', '.UniqueSize': 'UNIQUE SIZE' }));
    io.stdout.write('\nContainers space usage:\n\n');
    io.stdout.write(table(containers, 'table {{.ContainerID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.Created}}\t{{.Status}}\t{{.Names}}', { '.ContainerID': 'CONTAINER ID', '.LocalVolumes': 'LOCAL VOLUMES' }));
    io.stdout.write('\nLocal Volumes space usage:\n\n');
    io.stdout.write(table(volumes, 'table {{.VolumeName}}\t{{.Links}}\t{{.Size}}', { '.VolumeName': 'VOLUME NAME' }));
    return 0;
  },
};
