// pman pod stats [options] [POD...]: `stats` of the running containers of the pods (all pods when
// none is named), with the pod's ID in front, as podman shows it.
import type { Argv } from 'yargs';
import { statsSampler } from '../container/stats-sampler.js';
import { statsJson, type StatsRow } from '../container/stats.js';
import { renderList } from '../format/list-output.js';
import { podContainers } from '../pod/members.js';
import { isRunning } from '../state/container-status.js';
import { shortId } from '../state/ids.js';
import { listPods, resolvePod } from '../state/pods.js';
import { positionals } from './argv.js';
import { HEADERS, showStats, statsFlags } from './stats.js';
import type { CommandSpec } from './types.js';

const DEFAULT_FORMAT = 'table {{.Pod}}\t{{.CID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';
const POD_HEADERS = { ...HEADERS, '.Pod': 'POD', '.CID': 'CID' };

export const podStats: CommandSpec = {
  usage: 'pod stats [options] [POD...]',
  positionals: '[pods..]',
  builder: (y: Argv) => statsFlags(y, 'Show stats of all pods (the default without names)'),
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'pods');
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
    const once = async () => {
      const rows = ids.length ? await sample() : [];
      const withPod = rows.map((r: StatsRow) => ({ ...r, Pod: shortId(podOf.get(ids.find((i) => i.startsWith(r.ID)) ?? '') ?? ''), CID: r.ID }));
      const json = () => withPod.map((r) => ({ pod: r.Pod, ...statsJson(r) }));
      return renderList(withPod, { defaultFormat: DEFAULT_FORMAT, headers: POD_HEADERS, json, jsonIndent: 1 }, { format: argv.format as string | undefined });
    };
    return showStats(io, argv, once);
  },
};
