// pman pod exists POD: exit 0 when it exists, 1 when not (podman's codes).
import { resolvePod } from '../state/pods.js';
import { found } from '../errors.js';
import { existsCommand } from './exists-command.js';

export const podExistsCmd = existsCommand({ usage: 'pod exists POD', what: 'pod', missing: 'pod exists needs a pod name or ID', exists: found(resolvePod) });
