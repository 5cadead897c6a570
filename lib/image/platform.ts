// The platform this machine runs, named as OCI images name it (Go's GOOS/GOARCH values).
const ARCHES: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips: 'mips',
  mipsel: 'mipsle',
  loong64: 'loong64',
};

/** Node's process.arch as an OCI architecture (x64 → amd64, ia32 → 386 …). */
export function ociArchitecture(nodeArch: string = process.arch): string {
  return ARCHES[nodeArch] ?? nodeArch;
}
