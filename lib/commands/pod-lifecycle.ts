// pman pod start|stop|restart|kill|pause|unpause [options] POD...: each prints the pod's ID (unpause only
// for a pod it acted on: one paused or degraded, as podman 4.3.1).
import type { Argv } from 'yargs';
import { killPod, pausePod, restartPod, startPod, stopPod, unpausePod } from '../pod/lifecycle.js';
import type { PodRecord } from '../state/pod-record.js';
import type { Context } from '../context.js';
import { last, positionals, timeoutSeconds } from './argv.js';
import { forEachPod } from './pod-each.js';
import type { CommandSpec } from './types.js';

const allFlag = (y: Argv) => y.option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Act on all pods' });
const timeFlag = (y: Argv) => y.option('time', { alias: 't', type: 'string', describe: 'Seconds to wait before killing the containers' });

/** act resolves to false when it passed the pod over: nothing is printed for it. */
function podVerb(verb: string, builder: (y: Argv) => Argv, act: (ctx: Context, pod: PodRecord, argv: Record<string, unknown>) => Promise<boolean | void>): CommandSpec {
  return {
    usage: `pod ${verb} [options] POD...`,
    positionals: '[pods..]',
    builder: (y) => builder(allFlag(y)),
    handler: (ctx, argv, io) =>
      forEachPod(ctx, io, positionals(argv, 'pods'), { all: argv.all === true, verb }, async (pod) => {
        return (await act(ctx, pod, argv)) === false ? undefined : pod.id;
      }),
  };
}

export const podStart = podVerb('start', (y) => y, (ctx, pod) => startPod(ctx, pod));
export const podStop = podVerb('stop', timeFlag, (ctx, pod, argv) => stopPod(ctx, pod, timeoutSeconds(argv.time)));
export const podRestart = podVerb('restart', timeFlag, (ctx, pod, argv) => restartPod(ctx, pod, timeoutSeconds(argv.time)));
export const podKill = podVerb(
  'kill',
  (y) => y.option('signal', { alias: 's', type: 'string', default: 'KILL', describe: 'Signal to send to the containers' }),
  (ctx, pod, argv) => killPod(ctx, pod, last(argv.signal) ?? 'KILL'),
);
export const podPause = podVerb('pause', (y) => y, (ctx, pod) => pausePod(ctx, pod));
export const podUnpause = podVerb('unpause', (y) => y, (ctx, pod) => unpausePod(ctx, pod));
