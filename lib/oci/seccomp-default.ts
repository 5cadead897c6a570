// pman's default seccomp profile, built for the container's final capability set. Syscalls are
// allowed by purpose (an allowlist, so syscalls newer than this table fail with ENOSYS); those that
// reach kernel state no namespace isolates are refused with EPERM, or allowed only when the
// container holds the capability that guards them (so --cap-add SYS_ADMIN makes mount work).
// docs/configuration.md lists what is refused and why.

export interface SeccompRule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: Array<{ index: number; value: number; valueTwo: number; op: string }>;
}

export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures: string[];
  syscalls: SeccompRule[];
  flags?: string[];
}

const EPERM = 1;
const EINVAL = 22;
const ENOSYS = 38;

const words = (s: string) => s.split(/\s+/).filter(Boolean);

/** Harmless by purpose: every process needs these, or the kernel confines them itself. */
const ALLOWED: Record<string, string[]> = {
  io: words(`read write readv writev pread64 pwrite64 preadv preadv2 pwritev pwritev2 open openat openat2 creat close
    close_range lseek _llseek dup dup2 dup3 fcntl fcntl64 flock fsync fdatasync sync syncfs sync_file_range sync_file_range2
    fadvise64 fadvise64_64 readahead sendfile sendfile64 splice tee copy_file_range pipe pipe2 ioctl fallocate truncate
    truncate64 ftruncate ftruncate64 io_setup io_destroy io_getevents io_submit io_cancel`),
  fsMeta: words(`stat stat64 lstat lstat64 fstat fstat64 newfstatat fstatat64 statx statfs statfs64 fstatfs fstatfs64
    access faccessat faccessat2 chdir fchdir getcwd mkdir mkdirat rmdir rename renameat renameat2 link linkat unlink
    unlinkat symlink symlinkat readlink readlinkat chmod fchmod fchmodat fchmodat2 chown chown32 fchown fchown32 lchown
    lchown32 fchownat mknod mknodat getdents getdents64 readdir setxattr lsetxattr fsetxattr getxattr lgetxattr fgetxattr
    listxattr llistxattr flistxattr removexattr lremovexattr fremovexattr setxattrat getxattrat listxattrat removexattrat
    file_getattr file_setattr name_to_handle_at inotify_init inotify_init1 inotify_add_watch inotify_rm_watch fanotify_mark
    umask utime utimes utimensat utimensat_time64 futimesat statmount listmount`),
  events: words(`select _newselect pselect6 pselect6_time64 poll ppoll ppoll_time64 epoll_create epoll_create1 epoll_ctl
    epoll_ctl_old epoll_wait epoll_wait_old epoll_pwait epoll_pwait2 eventfd eventfd2 signalfd signalfd4 timerfd_create
    timerfd_settime timerfd_settime64 timerfd_gettime timerfd_gettime64`),
  memory: words(`brk mmap mmap2 munmap mremap mprotect pkey_mprotect pkey_alloc pkey_free madvise mincore msync mlock mlock2
    munlock mlockall munlockall remap_file_pages memfd_create memfd_secret mbind get_mempolicy set_mempolicy
    set_mempolicy_home_node cachestat map_shadow_stack mseal membarrier`),
  process: words(`fork vfork execve execveat exit exit_group wait4 waitid waitpid getpid getppid gettid getpgid setpgid
    getpgrp getsid setsid set_tid_address set_robust_list get_robust_list futex futex_time64 futex_waitv futex_wake
    futex_wait futex_requeue rseq prctl restart_syscall capget capset getpriority setpriority sched_yield sched_setparam
    sched_getparam sched_setscheduler sched_getscheduler sched_get_priority_max sched_get_priority_min
    sched_rr_get_interval sched_rr_get_interval_time64 sched_setaffinity sched_getaffinity sched_setattr sched_getattr
    getcpu ioprio_set ioprio_get prlimit64 getrlimit ugetrlimit setrlimit getrusage times pidfd_open pidfd_send_signal
    pidfd_getfd process_mrelease ptrace process_vm_readv process_vm_writev seccomp landlock_create_ruleset
    landlock_add_rule landlock_restrict_self sysinfo uname lsm_get_self_attr lsm_set_self_attr lsm_list_modules`),
  identity: words(`getuid getuid32 geteuid geteuid32 getgid getgid32 getegid getegid32 setuid setuid32 setgid setgid32
    setreuid setreuid32 setregid setregid32 setresuid setresuid32 getresuid getresuid32 setresgid setresgid32 getresgid
    getresgid32 getgroups getgroups32 setgroups setgroups32 setfsuid setfsuid32 setfsgid setfsgid32`),
  signals: words(`kill tkill tgkill rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigtimedwait
    rt_sigtimedwait_time64 rt_sigqueueinfo rt_tgsigqueueinfo rt_sigsuspend sigaction sigprocmask sigreturn sigpending
    sigsuspend signal sigaltstack pause alarm`),
  time: words(`time gettimeofday clock_gettime clock_gettime64 clock_getres clock_getres_time64 clock_nanosleep
    clock_nanosleep_time64 nanosleep adjtimex clock_adjtime clock_adjtime64 getitimer setitimer timer_create
    timer_settime timer_settime64 timer_gettime timer_gettime64 timer_getoverrun timer_delete`),
  ipc: words(`shmget shmat shmdt shmctl semget semop semtimedop semtimedop_time64 semctl msgget msgsnd msgrcv msgctl ipc
    mq_open mq_unlink mq_timedsend mq_timedsend_time64 mq_timedreceive mq_timedreceive_time64 mq_notify mq_getsetattr`),
  network: words(`socketpair bind connect listen accept accept4 getsockname getpeername sendto recvfrom sendmsg recvmsg
    sendmmsg recvmmsg recvmmsg_time64 shutdown setsockopt getsockopt socketcall send recv`),
  archSpecific: words(`arch_prctl modify_ldt set_thread_area get_thread_area breakpoint cacheflush set_tls
    arm_fadvise64_64 arm_sync_file_range riscv_flush_icache riscv_hwprobe s390_pci_mmio_read s390_pci_mmio_write
    s390_runtime_instr`),
};

/**
 * Refused outright with EPERM: the kernel keyring is not namespaced; kexec, swap, userfaultfd and
 * the legacy calls below are either host-wide or long-standing exploitation aids.
 */
const REFUSED = words(`add_key request_key keyctl kexec_load kexec_file_load swapon swapoff userfaultfd uselib nfsservctl
  sysfs ustat bdflush vm86 vm86old pciconfig_iobase pciconfig_read pciconfig_write migrate_pages move_pages vmsplice
  io_pgetevents sgetmask ssetmask swapcontext nice oldfstat oldlstat oldstat olduname oldolduname`);

/** Allowed only when the container holds the capability; refused with EPERM otherwise. */
const BY_CAPABILITY: Record<string, string[]> = {
  CAP_SYS_ADMIN: words(`mount umount umount2 pivot_root setns clone3 bpf fanotify_init lookup_dcookie perf_event_open
    quotactl quotactl_fd sethostname setdomainname fsopen fsconfig fsmount fspick open_tree move_mount mount_setattr`),
  CAP_SYS_BOOT: ['reboot'],
  CAP_SYS_CHROOT: ['chroot'],
  CAP_SYS_MODULE: words('init_module finit_module delete_module create_module query_module get_kernel_syms'),
  CAP_SYS_PACCT: ['acct'],
  CAP_SYS_PTRACE: ['kcmp', 'process_madvise'],
  CAP_SYS_RAWIO: ['iopl', 'ioperm'],
  CAP_SYS_TIME: words('settimeofday stime clock_settime clock_settime64'),
  CAP_SYS_TTY_CONFIG: ['vhangup'],
  CAP_SYSLOG: ['syslog'],
  CAP_DAC_READ_SEARCH: ['open_by_handle_at'],
};

/** CLONE_NEW* flags: creating namespaces (a user namespace above all) needs CAP_SYS_ADMIN here. */
const NAMESPACE_FLAGS = [0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000];
const NAMESPACE_MASK = NAMESPACE_FLAGS.reduce((a, b) => a + b, 0);

/** personality(2) values that only select the usual Linux behaviour (or query it). */
const PERSONALITIES = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

const AF_NETLINK = 16;
const NETLINK_AUDIT = 9;

/** libseccomp's name for each CPU Node runs on, and the 32-bit ABI that CPU can also run. */
const SECCOMP_ARCHES: Record<string, { native: string; compat?: { image: string; name: string } }> = {
  x64: { native: 'SCMP_ARCH_X86_64', compat: { image: '386', name: 'SCMP_ARCH_X86' } },
  arm64: { native: 'SCMP_ARCH_AARCH64', compat: { image: 'arm', name: 'SCMP_ARCH_ARM' } },
  s390x: { native: 'SCMP_ARCH_S390X', compat: { image: 's390', name: 'SCMP_ARCH_S390' } },
  ppc64: { native: 'SCMP_ARCH_PPC64LE' },
  riscv64: { native: 'SCMP_ARCH_RISCV64' },
};

/**
 * The ABIs the default filter lets a container use: the machine's native one, plus its 32-bit
 * compat ABI only for an image built for it (an i386 image on x86-64). Syscalls through any other
 * ABI (x32, or 32-bit code inside a 64-bit image) are refused by the kernel's filter as a bad
 * architecture. Each ABI listed costs runc ~11 ms to compile, on every start and every exec.
 */
export function seccompArchitectures(arch: string = process.arch, imageArch?: string): string[] {
  const a = SECCOMP_ARCHES[arch];
  if (!a) return [];
  return a.compat && imageArch === a.compat.image ? [a.native, a.compat.name] : [a.native];
}

const arg = (index: number, value: number, op: string, valueTwo = 0) => ({ index, value, valueTwo, op });

/** The default profile for a container whose bounding capability set is `caps`. */
export function defaultSeccompProfile(caps: string[], arch: string = process.arch, imageArch?: string): SeccompProfile {
  const allowed = Object.values(ALLOWED).flat();
  const denied = [...REFUSED];
  for (const [cap, names] of Object.entries(BY_CAPABILITY)) (caps.includes(cap) ? allowed : denied).push(...names);
  const rules: SeccompRule[] = [
    { names: allowed, action: 'SCMP_ACT_ALLOW' },
    { names: denied, action: 'SCMP_ACT_ERRNO', errnoRet: EPERM },
    ...PERSONALITIES.map((p) => ({ names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [arg(0, p, 'SCMP_CMP_EQ')] })),
  ];
  if (caps.includes('CAP_SYS_ADMIN')) {
    rules.push({ names: ['clone', 'unshare'], action: 'SCMP_ACT_ALLOW' });
  } else {
    // Threads and plain forks are fine; any namespace flag is refused with EPERM. clone3 hides its
    // flags in memory seccomp cannot read, so it reports ENOSYS and libc falls back to clone.
    rules.push({ names: ['clone', 'unshare'], action: 'SCMP_ACT_ALLOW', args: [arg(0, NAMESPACE_MASK, 'SCMP_CMP_MASKED_EQ', 0)] });
    for (const flag of NAMESPACE_FLAGS) {
      rules.push({ names: ['clone', 'unshare'], action: 'SCMP_ACT_ERRNO', errnoRet: EPERM, args: [arg(0, flag, 'SCMP_CMP_MASKED_EQ', flag)] });
    }
    rules[1].names = denied.filter((n) => n !== 'clone3');
    rules.push({ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS });
  }
  if (caps.includes('CAP_AUDIT_WRITE')) {
    rules.push({ names: ['socket'], action: 'SCMP_ACT_ALLOW' });
  } else {
    // Writing to the audit log is the one socket the kernel does not namespace.
    rules.push({ names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [arg(0, AF_NETLINK, 'SCMP_CMP_NE')] });
    rules.push({ names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [arg(2, NETLINK_AUDIT, 'SCMP_CMP_NE')] });
    rules.push({
      names: ['socket'],
      action: 'SCMP_ACT_ERRNO',
      errnoRet: EINVAL,
      args: [arg(0, AF_NETLINK, 'SCMP_CMP_EQ'), arg(2, NETLINK_AUDIT, 'SCMP_CMP_EQ')],
    });
  }
  return { defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: ENOSYS, architectures: seccompArchitectures(arch, imageArch), syscalls: rules };
}
