import { podStatus } from '../../../lib/pod/members.js';
import { parseShare } from '../../../lib/pod/create.js';
import type { ContainerRecord } from '../../../lib/state/container-record.js';

const c = (status: string) => ({ state: { status } }) as unknown as ContainerRecord;

describe('pod status', () => {
  it('is derived from the containers as podman 4.3.1 derives it (checked side by side)', () => {
    const cases: Array<[string[], string]> = [
      [[], 'Created'],
      [['created', 'created'], 'Created'],
      [['running', 'running'], 'Running'],
      [['running', 'exited'], 'Degraded'],
      [['running', 'created'], 'Degraded'],
      [['running', 'paused'], 'Degraded'],
      [['paused', 'paused'], 'Paused'],
      // Some exited, none running: podman's Stopped (all exited: Exited).
      [['paused', 'exited'], 'Stopped'],
      [['exited', 'exited'], 'Exited'],
      [['exited', 'created'], 'Stopped'],
      // Paused and created: podman falls through to Created.
      [['paused', 'created'], 'Created'],
      // A record that cannot be read: podman's Errored for a container in a state it does not know.
      [['unknown', 'created'], 'Errored'],
      [['unknown', 'exited'], 'Stopped'],
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
