// --restart no|on-failure[:N]|always|unless-stopped, as podman spells it.
import { InvalidArgumentError } from '../../errors.js';
import type { RestartPolicy } from '../../state/container-record.js';

export function parseRestartPolicy(value: string | undefined): RestartPolicy | undefined {
  if (value === undefined || value === '') return undefined;
  const [name, count, extra] = value.split(':');
  const usage = `invalid --restart "${value}": use no, on-failure[:MAX], always or unless-stopped`;
  if (extra !== undefined) throw new InvalidArgumentError(usage);
  if (name === 'on-failure') {
    if (count !== undefined && !/^[0-9]+$/.test(count)) throw new InvalidArgumentError(`${usage} (MAX is a whole number)`);
    return { name, maximumRetryCount: count === undefined ? 0 : Number(count) };
  }
  if (name === 'no' || name === 'always' || name === 'unless-stopped') {
    if (count !== undefined) throw new InvalidArgumentError(`invalid --restart "${value}": only on-failure takes a retry count`);
    // `no` is recorded apart from no --restart at all, as podman does (ps --filter restart-policy=).
    return { name, maximumRetryCount: 0 };
  }
  throw new InvalidArgumentError(usage);
}
