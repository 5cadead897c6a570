// --pod-id-file of run/create: the file `pod create --pod-id-file` wrote.
import fs from 'node:fs';
import { InvalidArgumentError } from '../errors.js';

/** --pod-id-file: the pod's ID, read from the file (--pod wins when both are given, as in podman). */
export function readPodIdFile(file: string): string {
  let id: string;
  try {
    id = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new InvalidArgumentError(`cannot read --pod-id-file "${file}": ${(err as NodeJS.ErrnoException).code ?? String(err)}: give the file pod create --pod-id-file wrote`);
  }
  if (!id) throw new InvalidArgumentError(`--pod-id-file "${file}" is empty: give the file pod create --pod-id-file wrote`);
  return id;
}
