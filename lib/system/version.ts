// pman's own version (from package.json) and platform, and what `pman version` reports of them.
import { pmanVersion } from '../project.js';

export { pmanVersion };

/** Go's name for the CPU architecture, as podman reports it. */
export function goArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

export interface ClientVersion {
  Version: string;
  APIVersion: string;
  GoVersion: string;
  GitCommit: string;
  BuiltTime: string;
  Built: number;
  NodeVersion: string;
  OsArch: string;
  Os: string;
}

/**
 * podman's version document: Client, and Server (podman prints it only when remote, but its
 * templates read `.Server.Version` locally too; pman is its own server).
 */
export interface VersionInfo {
  Client: ClientVersion;
  Server: ClientVersion;
}

export function versionInfo(): VersionInfo {
  const v: ClientVersion = {
    Version: pmanVersion(),
    APIVersion: '1',
    GoVersion: '',
    GitCommit: '',
    // podman's form for a build with no recorded time (Go's zero Unix time, asctime layout).
    BuiltTime: 'Thu Jan  1 00:00:00 1970',
    Built: 0,
    NodeVersion: process.version,
    OsArch: `linux/${goArch()}`,
    Os: 'linux',
  };
  return { Client: v, Server: { ...v } };
}
