import { DEFAULT_CAPS } from '../../../lib/oci/spec-security.js';
import { defaultSeccompProfile, type SeccompProfile } from '../../../lib/oci/seccomp-default.js';
import { convertSeccompProfile } from '../../../lib/oci/seccomp-profile.js';

function actionFor(p: SeccompProfile, name: string): string[] {
  return p.syscalls.filter((r) => r.names.includes(name)).map((r) => `${r.action}${r.args ? '(args)' : ''}${r.errnoRet !== undefined ? `:${r.errnoRet}` : ''}`);
}

describe('pman\'s default seccomp profile', () => {
  const p = defaultSeccompProfile(DEFAULT_CAPS, 'x64');

  it('denies by default with ENOSYS, for the native architecture only', () => {
    expect(p.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(p.defaultErrnoRet).toBe(38);
    expect(p.architectures).toEqual(['SCMP_ARCH_X86_64']);
    expect(defaultSeccompProfile(DEFAULT_CAPS, 'x64', 'amd64').architectures).toEqual(['SCMP_ARCH_X86_64']);
  });

  it('lets the 32-bit ABI through only for an image built for it', () => {
    expect(defaultSeccompProfile(DEFAULT_CAPS, 'x64', '386').architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86']);
    expect(defaultSeccompProfile(DEFAULT_CAPS, 'arm64', 'arm').architectures).toEqual(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    expect(defaultSeccompProfile(DEFAULT_CAPS, 'arm64', 'arm64').architectures).toEqual(['SCMP_ARCH_AARCH64']);
    // An image of a foreign 64-bit architecture does not widen the filter.
    expect(defaultSeccompProfile(DEFAULT_CAPS, 'x64', 'arm64').architectures).toEqual(['SCMP_ARCH_X86_64']);
  });

  it('refuses the keyring, kexec, open_by_handle_at and mounts with EPERM', () => {
    for (const n of ['keyctl', 'add_key', 'request_key', 'kexec_load', 'open_by_handle_at', 'mount', 'umount2', 'pivot_root', 'setns', 'bpf', 'init_module']) {
      expect(actionFor(p, n)).toEqual(['SCMP_ACT_ERRNO:1']);
    }
  });

  it('allows what every program needs', () => {
    for (const n of ['read', 'openat', 'execve', 'futex', 'socketpair', 'epoll_wait', 'clock_gettime', 'chroot', 'rt_sigreturn']) {
      expect(actionFor(p, n)).toEqual(['SCMP_ACT_ALLOW']);
    }
  });

  it('lets clone and unshare make threads but no namespaces, and hides clone3', () => {
    expect(actionFor(p, 'unshare')).toEqual(['SCMP_ACT_ALLOW(args)', ...Array(7).fill('SCMP_ACT_ERRNO(args):1')]);
    const allow = p.syscalls.find((r) => r.names.includes('clone') && r.action === 'SCMP_ACT_ALLOW')!;
    expect(allow.args).toEqual([{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }]);
    expect(actionFor(p, 'clone3')).toEqual(['SCMP_ACT_ERRNO:38']);
  });

  it('opens what a capability guards when the container has it', () => {
    const admin = defaultSeccompProfile([...DEFAULT_CAPS, 'CAP_SYS_ADMIN', 'CAP_AUDIT_WRITE'], 'x64');
    expect(actionFor(admin, 'mount')).toEqual(['SCMP_ACT_ALLOW']);
    expect(actionFor(admin, 'unshare')).toEqual(['SCMP_ACT_ALLOW']);
    expect(actionFor(admin, 'socket')).toEqual(['SCMP_ACT_ALLOW']);
    expect(actionFor(admin, 'keyctl')).toEqual(['SCMP_ACT_ERRNO:1']);
  });

  it('names each syscall in only one unconditional rule', () => {
    const plain = p.syscalls.filter((r) => !r.args).flatMap((r) => r.names);
    expect(new Set(plain).size).toBe(plain.length);
  });
});

describe('user seccomp profiles', () => {
  const docker = {
    defaultAction: 'SCMP_ACT_ERRNO',
    archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86'] }],
    syscalls: [
      { names: ['read'], action: 'SCMP_ACT_ALLOW' },
      { names: ['mount'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } },
      { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', includes: { minKernel: '4.8' } },
      { names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['amd64'] } },
      { names: ['chroot'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, excludes: { caps: ['CAP_SYS_CHROOT'] } },
    ],
  };

  it('resolves docker-format conditions for this container', () => {
    const out = convertSeccompProfile(docker, DEFAULT_CAPS, 'x64', '6.1.0-13-amd64');
    expect(out.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86']);
    expect(out.syscalls.map((r) => r.names[0])).toEqual(['read', 'ptrace', 'arch_prctl']);
    const old = convertSeccompProfile(docker, [...DEFAULT_CAPS, 'CAP_SYS_ADMIN'].filter((c) => c !== 'CAP_SYS_CHROOT'), 'arm64', '4.4.0');
    expect(old.syscalls.map((r) => r.names[0])).toEqual(['read', 'mount', 'chroot']);
  });

  it('rejects a file that is not a profile', () => {
    expect(() => convertSeccompProfile({} as never, DEFAULT_CAPS)).toThrow(/defaultAction/);
  });
});
