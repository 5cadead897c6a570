// `pman pod create`: a pod record and, unless --infra=false, its infra container (the pause
// image, named <pod-id-12>-infra), which owns the namespaces the members will join and carries the
// pod's network settings (networks, published ports, host name, /etc/hosts, DNS).
import fs from 'node:fs';
import type { Context } from '../context.js';
import { ConflictError, InvalidArgumentError, PmanError } from '../errors.js';
import { createContainer, parseLabels } from '../container/create.js';
import type { ExtrasConfDefaults } from '../container/extras-conf.js';
import { cgroupPathFor, noExtras } from '../container/extras.js';
import { podCgroupPath } from '../cgroup/cgroup.js';
import { emptyConfigOptions } from '../container/host-config.js';
import { randomName } from '../container/names.js';
import type { NetworkFlags } from '../container/parse/network.js';
import { markCreating, unmarkCreating, reserveName, releaseName, nameOwner } from '../state/containers.js';
import { newId, shortId } from '../state/ids.js';
import type { PodNamespace, PodRecord } from '../state/pod-record.js';
import { createPodRecord, deletePodFiles, podExists, savePod } from '../state/pods.js';
import { ensurePauseImage } from './pause-image.js';
import { removePod } from './remove.js';

export interface PodCreateOptions {
  name?: string;
  /** false: no infra container (nothing shared). */
  infra: boolean;
  /** --share: a comma list, or "+pid" to add to the default. */
  share?: string;
  network: Omit<NetworkFlags, 'dns' | 'dnsSearch' | 'dnsOptions' | 'addHosts'> & Partial<Pick<NetworkFlags, 'dns' | 'dnsSearch' | 'dnsOptions' | 'addHosts'>>;
  hostname?: string;
  labels: string[];
  infraName?: string;
  exitPolicy?: string;
  podIdFile?: string;
  replace?: boolean;
  /** kube play: the file the pod came from. */
  kubeFile?: string;
  /** containers.conf's default_sysctls, for the infra container: the pod's shared namespaces (as podman). */
  confSysctls?: Pick<ExtrasConfDefaults, 'where' | 'sysctls'>;
  /** --cgroup-parent: the pod's cgroup is made under it, its containers' under the pod's. */
  cgroupParent?: string;
  /** The command line that made the pod (pod inspect's CreateCommand). */
  createCommand?: string[];
  /**
   * The infra container's CreateCommand, when it differs from the pod's: kube play records
   * none for the pod and its own command line for the infra, as podman 4.3.1 does.
   */
  infraCreateCommand?: string[];
}

const ALL: PodNamespace[] = ['ipc', 'net', 'uts', 'pid', 'cgroup'];
const DEFAULT_SHARE: PodNamespace[] = ['ipc', 'net', 'uts'];

export function parseShare(value: string | undefined): PodNamespace[] {
  if (value === undefined) return [...DEFAULT_SHARE];
  const add = value.startsWith('+');
  const words = (add ? value.slice(1) : value).split(',').filter(Boolean);
  for (const w of words) {
    if (!ALL.includes(w as PodNamespace)) throw new InvalidArgumentError(`invalid --share "${value}": "${w}" is not a namespace to share (use ipc, net, uts, pid, cgroup)`);
  }
  return [...new Set([...(add ? DEFAULT_SHARE : []), ...(words as PodNamespace[])])];
}

function networkGiven(n: PodCreateOptions['network'], hostname: string | undefined): string | undefined {
  if (n.network !== undefined) return '--network';
  if (n.publish?.length) return '--publish';
  if (n.dns?.length) return '--dns';
  if (n.addHosts?.length) return '--add-host';
  return hostname !== undefined ? '--hostname' : undefined;
}

export async function createPod(ctx: Context, opts: PodCreateOptions): Promise<PodRecord> {
  const exitPolicy = opts.exitPolicy ?? 'continue';
  if (exitPolicy !== 'continue' && exitPolicy !== 'stop') throw new InvalidArgumentError(`invalid --exit-policy "${exitPolicy}": use continue or stop`);
  let share = parseShare(opts.share);
  if (!opts.infra) {
    const given = opts.share !== undefined ? '--share' : networkGiven(opts.network, opts.hostname);
    if (given) throw new InvalidArgumentError(`cannot use ${given} with --infra=false: a pod without infra container shares no namespaces`);
    share = [];
  }
  if (opts.infraName !== undefined && !opts.infra) throw new InvalidArgumentError('cannot use --infra-name with --infra=false');
  if (opts.podIdFile && fs.existsSync(opts.podIdFile)) throw new ConflictError(`--pod-id-file "${opts.podIdFile}" already exists: remove it or choose another file`);
  const name = opts.name || randomName();
  if (opts.replace && opts.name) {
    const owner = nameOwner(ctx, opts.name);
    if (owner && podExists(ctx, owner)) await removePod(ctx, owner, { force: true, timeout: 0 });
  }
  const labels = parseLabels(opts.labels);
  const id = newId();
  const cgroupPath = cgroupPathFor(ctx, opts.cgroupParent, (parent) => podCgroupPath(id, parent));
  const rec: PodRecord = {
    version: 1,
    id,
    name,
    created: new Date().toISOString(),
    labels,
    share,
    exitPolicy,
    ...(opts.kubeFile ? { kube: { file: opts.kubeFile } } : {}),
    ...(cgroupPath ? { cgroupPath } : {}),
    ...(opts.hostname !== undefined ? { hostname: opts.hostname } : {}),
    ...(opts.createCommand ? { createCommand: opts.createCommand } : {}),
  };
  markCreating(ctx, id);
  try {
    try {
      reserveName(ctx, name, id);
    } catch (err) {
      if (err instanceof ConflictError && !opts.name) throw new ConflictError(`generated pod name "${name}" is taken: try again or give --name`);
      throw err;
    }
    try {
      createPodRecord(ctx, rec);
      if (opts.infra) {
        const cfg = emptyConfigOptions();
        cfg.network = { dns: [], dnsSearch: [], dnsOptions: [], addHosts: [], ...opts.network };
        const infra = await createContainer(ctx, {
          image: await ensurePauseImage(ctx),
          command: [],
          name: opts.infraName ?? `${shortId(id)}-infra`,
          env: [],
          envFiles: [],
          hostEnv: {},
          hostname: opts.hostname ?? name,
          labels: [],
          rm: false,
          tty: false,
          interactive: false,
          config: cfg,
          pod: id,
          infra: true,
          createCommand: opts.infraCreateCommand ?? opts.createCommand,
          ...(opts.confSysctls || cgroupPath ? { extras: { ...noExtras(), conf: opts.confSysctls, cgroupParent: cgroupPath } } : {}),
        });
        rec.infraId = infra.id;
        savePod(ctx, rec);
      }
    } catch (err) {
      await removePod(ctx, id, { force: true, timeout: 0 }).catch(() => {
        deletePodFiles(ctx, rec);
        releaseName(ctx, name, id);
      });
      throw err;
    }
  } finally {
    unmarkCreating(ctx, id);
  }
  if (opts.podIdFile) {
    try {
      fs.writeFileSync(opts.podIdFile, id, { flag: 'wx' });
    } catch (err) {
      throw new PmanError('system', `cannot write --pod-id-file "${opts.podIdFile}": ${(err as Error).message}; the pod ${name} was created`, { cause: err });
    }
  }
  return rec;
}
