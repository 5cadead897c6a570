// pman network exists NETWORK: exit 0 when it exists, 1 when not (podman's codes).
import { networkExists } from '../network/networks.js';
import { existsCommand } from './exists-command.js';

export const networkExistsCmd = existsCommand({ usage: 'network exists NETWORK', what: 'network', missing: 'network exists needs a network name or ID', exists: networkExists });
