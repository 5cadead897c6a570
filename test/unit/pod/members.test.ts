import { podStatus } from '../../../lib/pod/members.js';
import { parseShare } from '../../../lib/pod/create.js';
import type { ContainerRecord } from '../../../lib/state/container-record.js';

const c = (status: string) => ({ state: { status } }) as unknown as ContainerRecord;

describe('pod status', () => {
  it('is derived from the containers as podman derives it', () => {
    const cases: Array<[string[], string]> = [
      [[], 'Created'],
      [['created', 'created'], 'Created'],
      [['running', 'running'], 'Running'],
      [['running', 'exited'], 'Degraded'],
      [['running', 'created'], 'Degraded'],
      [['paused', 'paused'], 'Paused'],
      [['paused', 'exited'], 'Degraded'],
      [['exited', 'exited'], 'Exited'],
      [['exited', 'created'], 'Exited'],
    ];
    for (const [statuses, want] of cases) expect([statuses, podStatus(statuses.map(c))]).toEqual([statuses, want]);
  });
});

describe('--share', () => {
  it('defaults to ipc,net,uts, replaces it with a list, and adds to it with +', () => {
    expect(parseShare(undefined)).toEqual(['ipc', 'net', 'uts']);
    expect(parseShare('pid,net')).toEqual(['pid', 'net']);
    expect(parseShare('+pid')).toEqual(['ipc', 'net', 'uts', 'pid']);
    expect(parseShare('')).toEqual([]);
  });

  it('refuses a namespace pods cannot share', () => {
    expect(() => parseShare('net,user')).toThrow('invalid --share "net,user": "user" is not a namespace to share (use ipc, net, uts, pid, cgroup)');
  });
});
