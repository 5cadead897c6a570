// pman pod stats [options] [POD...]: `stats` of the running containers of the pods (all pods when
// none is named), as podman 4.3.1's pod stats shows them (its report: CPU and Mem percentages,
// PIDS, the pod's short ID; "-- / --" for a pair of zeros; a row of "--" when nothing runs).
import type { Argv } from 'yargs';
import { statsSampler } from '../container/stats-sampler.js';
import { InvalidArgumentError } from '../errors.js';
import { renderList } from '../format/list-output.js';
import { podContainers } from '../pod/members.js';
import { podStatsReport, type PodStatsReport } from '../pod/view.js';
import { isRunning } from '../state/container-status.js';
import { listPods, resolvePod } from '../state/pods.js';
import { last, positionals } from './argv.js';
import { showStats, statsFlags } from './stats.js';
import type { CommandSpec } from './types.js';

const DEFAULT_FORMAT = 'table {{.Pod}}\t{{.CID}}\t{{.Name}}\t{{.CPU}}\t{{.MemUsage}}\t{{.Mem}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDS}}';
// podman 4.3.1's header, "MEM USAGE/ LIMIT" included.
const POD_HEADERS = {
  '.Pod': 'POD',
  '.CID': 'CID',
  '.Name': 'NAME',
  '.CPU': 'CPU %',
  '.MemUsage': 'MEM USAGE/ LIMIT',
  '.MemUsageBytes': 'MEM USAGE/ LIMIT',
  '.Mem': 'MEM %',
  '.NetIO': 'NET IO',
  '.BlockIO': 'BLOCK IO',
  '.PIDS': 'PIDS',
};
const NOTHING = Object.fromEntries(Object.keys(POD_HEADERS).map((k) => [k.slice(1), '--'])) as unknown as PodStatsReport;

export const podStats: CommandSpec = {
  usage: 'pod stats [options] [POD...]',
  positionals: '[pods..]',
  builder: (y: Argv) => statsFlags(y, 'Show stats of all pods (the default without names)'),
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'pods');
    if (argv.all === true && refs.length) throw new InvalidArgumentError('pod stats: --all and pod names cannot be used together');
    const pods = refs.length ? refs.map((r) => resolvePod(ctx, r)) : listPods(ctx);
    const podOf = new Map<string, string>();
    const ids: string[] = [];
    for (const pod of pods) {
      for (const c of (await podContainers(ctx, pod)).filter(isRunning)) {
        podOf.set(c.id, pod.id);
        ids.push(c.id);
      }
    }
    const sample = statsSampler(ctx, { refs: ids, all: false });
    const format = last(argv.format);
    const once = async () => {
      const rows = (ids.length ? await sample() : []).map((r) => podStatsReport(r, podOf.get(ids.find((i) => i.startsWith(r.ID)) ?? '') ?? ''));
      // podman's default table shows a row of "--" when no container runs.
      const shown = rows.length || format !== undefined ? rows : [NOTHING];
      return renderList(shown, { defaultFormat: DEFAULT_FORMAT, headers: POD_HEADERS, jsonIndent: 5 }, { format });
    };
    return showStats(io, argv, once);
  },
};
