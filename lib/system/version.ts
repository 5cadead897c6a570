// pman's own version (from package.json) and platform, and what `pman version` reports of them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project.js';

export function pmanVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Go's name for the CPU architecture, as podman reports it. */
export function goArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

export interface VersionInfo {
  Client: { Version: string; APIVersion: string; GoVersion: string; NodeVersion: string; OsArch: string };
}

export function versionInfo(): VersionInfo {
  return { Client: { Version: pmanVersion(), APIVersion: '1', GoVersion: '', NodeVersion: process.version, OsArch: `linux/${goArch()}` } };
}
