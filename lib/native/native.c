/*
 * pman's one native addon: the few system calls Node.js cannot make itself (receive an fd over
 * SCM_RIGHTS, pty window size, subreaper, waitpid of adopted processes, real pipes, mount, overlay
 * whiteouts and xattrs, a bind-mounted network namespace, user namespaces with ID maps and idmapped mounts). Every function is a thin wrapper; policy lives in lib/native/native.ts.
 * Errors are thrown as JS errors carrying `code` (errno name) and `errno`, like Node's own.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "napi call failed: " #call); return NULL; } } while (0)

static napi_value throw_errno(napi_env env, int err, const char *what) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_value code, message, error, errnum;
  const char *name = strerrorname_np(err);
  napi_create_string_utf8(env, name ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, code, message, &error);
  napi_create_int32(env, -err, &errnum);
  napi_set_named_property(env, error, "errno", errnum);
  napi_set_named_property(env, error, "syscall", message);
  napi_throw(env, error);
  return NULL;
}

static int arg_int(napi_env env, napi_value v, int32_t *out) {
  return napi_get_value_int32(env, v, out) == napi_ok;
}

/* Reads a string argument into a malloc'd buffer (caller frees). */
static char *arg_str(napi_env env, napi_value v) {
  size_t len = 0;
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return NULL;
  if (t == napi_null || t == napi_undefined) return NULL;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

static napi_value int_value(napi_env env, int32_t n) {
  napi_value v;
  napi_create_int32(env, n, &v);
  return v;
}

/* recvFd(sock) -> fd, or -1 when nothing is there yet (EAGAIN), or -2 at end of stream. */
static napi_value recv_fd(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1]; int32_t sock;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || !arg_int(env, argv[0], &sock)) { napi_throw_type_error(env, NULL, "recvFd(fd)"); return NULL; }
  char data[256];
  struct iovec iov = { .iov_base = data, .iov_len = sizeof data };
  union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  ssize_t n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return int_value(env, -1);
    return throw_errno(env, errno, "recvmsg");
  }
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      int fd; memcpy(&fd, CMSG_DATA(c), sizeof fd);
      return int_value(env, fd);
    }
  }
  return int_value(env, n == 0 ? -2 : -1);
}

static napi_value set_nonblock(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2]; int32_t fd; bool on = true;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || !arg_int(env, argv[0], &fd)) { napi_throw_type_error(env, NULL, "setNonblock(fd, on)"); return NULL; }
  if (argc > 1) napi_get_value_bool(env, argv[1], &on);
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) return throw_errno(env, errno, "fcntl");
  fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
  if (fcntl(fd, F_SETFL, fl) < 0) return throw_errno(env, errno, "fcntl");
  return NULL;
}

static napi_value set_cloexec(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1]; int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || !arg_int(env, argv[0], &fd)) { napi_throw_type_error(env, NULL, "setCloexec(fd)"); return NULL; }
  int fl = fcntl(fd, F_GETFD);
  if (fl < 0) return throw_errno(env, errno, "fcntl");
  if (fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0) return throw_errno(env, errno, "fcntl");
  return NULL;
}

static napi_value set_winsize(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value argv[3]; int32_t fd, rows, cols;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3 || !arg_int(env, argv[0], &fd) || !arg_int(env, argv[1], &rows) || !arg_int(env, argv[2], &cols)) {
    napi_throw_type_error(env, NULL, "setWinsize(fd, rows, cols)"); return NULL;
  }
  struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
  if (ioctl(fd, TIOCSWINSZ, &ws) < 0) return throw_errno(env, errno, "ioctl(TIOCSWINSZ)");
  return NULL;
}

static napi_value get_winsize(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1]; int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || !arg_int(env, argv[0], &fd)) { napi_throw_type_error(env, NULL, "getWinsize(fd)"); return NULL; }
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) < 0) return throw_errno(env, errno, "ioctl(TIOCGWINSZ)");
  napi_value arr; napi_create_array_with_length(env, 2, &arr);
  napi_set_element(env, arr, 0, int_value(env, ws.ws_row));
  napi_set_element(env, arr, 1, int_value(env, ws.ws_col));
  return arr;
}

/* ttyMakeRaw(fd) -> Buffer with the previous termios (for ttyRestore). Like cfmakeraw: unlike
 * Node's setRawMode it also clears OPOST, so "\r\n" from a container's pty is not doubled. */
static napi_value tty_make_raw(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1]; int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || !arg_int(env, argv[0], &fd)) { napi_throw_type_error(env, NULL, "ttyMakeRaw(fd)"); return NULL; }
  struct termios old, raw;
  if (tcgetattr(fd, &old) < 0) return throw_errno(env, errno, "tcgetattr");
  raw = old;
  cfmakeraw(&raw);
  if (tcsetattr(fd, TCSADRAIN, &raw) < 0) return throw_errno(env, errno, "tcsetattr");
  napi_value result; void *out;
  napi_create_buffer_copy(env, sizeof old, &old, &out, &result);
  return result;
}

static napi_value tty_restore(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2]; int32_t fd; void *data; size_t len;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || !arg_int(env, argv[0], &fd) || napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok || len != sizeof(struct termios)) {
    napi_throw_type_error(env, NULL, "ttyRestore(fd, saved)"); return NULL;
  }
  if (tcsetattr(fd, TCSADRAIN, (struct termios *)data) < 0) return throw_errno(env, errno, "tcsetattr");
  return NULL;
}

static napi_value set_subreaper(napi_env env, napi_callback_info info) {
  (void)info;
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) return throw_errno(env, errno, "prctl(PR_SET_CHILD_SUBREAPER)");
  return NULL;
}

/* setsid(): a new session and process group (a shim started by bin/pman, not by Node's spawn). */
static napi_value do_setsid(napi_env env, napi_callback_info info) {
  (void)info;
  if (setsid() < 0) return throw_errno(env, errno, "setsid");
  return NULL;
}

/* waitpid(pid) with WNOHANG -> null while running/none, else {pid, code, signal}. pid -1 = any. */
static napi_value wait_pid(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1]; int32_t pid;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || !arg_int(env, argv[0], &pid)) { napi_throw_type_error(env, NULL, "waitpid(pid)"); return NULL; }
  int status = 0;
  pid_t r;
  do { r = waitpid(pid, &status, WNOHANG); } while (r < 0 && errno == EINTR);
  napi_value nul; napi_get_null(env, &nul);
  if (r == 0) return nul;
  if (r < 0) {
    if (errno == ECHILD) return nul;
    return throw_errno(env, errno, "waitpid");
  }
  napi_value obj; napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "pid", int_value(env, r));
  if (WIFEXITED(status)) {
    napi_set_named_property(env, obj, "code", int_value(env, WEXITSTATUS(status)));
    napi_set_named_property(env, obj, "signal", int_value(env, 0));
  } else if (WIFSIGNALED(status)) {
    napi_set_named_property(env, obj, "code", int_value(env, 128 + WTERMSIG(status)));
    napi_set_named_property(env, obj, "signal", int_value(env, WTERMSIG(status)));
  } else {
    return nul; /* stopped/continued: not an exit */
  }
  return obj;
}

/* pipe() -> [readFd, writeFd], both O_CLOEXEC (a spawn's dup2 onto 0..2 clears it for the child). */
static napi_value make_pipe(napi_env env, napi_callback_info info) {
  (void)info;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return throw_errno(env, errno, "pipe2");
  napi_value arr; napi_create_array_with_length(env, 2, &arr);
  napi_set_element(env, arr, 0, int_value(env, fds[0]));
  napi_set_element(env, arr, 1, int_value(env, fds[1]));
  return arr;
}

static napi_value set_pipe_size(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2]; int32_t fd, size;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || !arg_int(env, argv[0], &fd) || !arg_int(env, argv[1], &size)) { napi_throw_type_error(env, NULL, "setPipeSize(fd, size)"); return NULL; }
  int r = fcntl(fd, F_SETPIPE_SZ, size);
  return int_value(env, r < 0 ? -errno : r);
}

static napi_value close_fd(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1]; int32_t fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || !arg_int(env, argv[0], &fd)) { napi_throw_type_error(env, NULL, "closeFd(fd)"); return NULL; }
  close(fd);
  return NULL;
}

/* mount(source, target, fstype, flags, data) */
static napi_value do_mount(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value argv[5]; double flags = 0;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) { napi_throw_type_error(env, NULL, "mount(source, target, fstype, flags, data)"); return NULL; }
  char *src = arg_str(env, argv[0]), *tgt = arg_str(env, argv[1]), *type = arg_str(env, argv[2]), *data = arg_str(env, argv[4]);
  napi_get_value_double(env, argv[3], &flags);
  int r = mount(src, tgt, type, (unsigned long)flags, data);
  int err = errno;
  free(src); free(tgt); free(type); free(data);
  if (r < 0) return throw_errno(env, err, "mount");
  return NULL;
}

/* umount(target, flags) -> 0, or the errno number when it failed with EINVAL/ENOENT (not mounted). */
static napi_value do_umount(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2]; int32_t flags = 0;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *tgt = argc > 0 ? arg_str(env, argv[0]) : NULL;
  if (!tgt) { napi_throw_type_error(env, NULL, "umount(target, flags)"); return NULL; }
  if (argc > 1) arg_int(env, argv[1], &flags);
  int r = umount2(tgt, flags);
  int err = errno;
  free(tgt);
  if (r < 0) {
    if (err == EINVAL || err == ENOENT) return int_value(env, err);
    return throw_errno(env, err, "umount2");
  }
  return int_value(env, 0);
}

/* netnsCreate(path): a new network namespace, kept alive by a bind mount on path (an existing
 * empty file), as `ip netns add` does. Only the calling thread enters it (unshare of the net
 * namespace is per thread) and it returns to its own before this function returns. */
static napi_value netns_create(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *tgt = argc > 0 ? arg_str(env, argv[0]) : NULL;
  if (!tgt) { napi_throw_type_error(env, NULL, "netnsCreate(path)"); return NULL; }
  int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (self < 0) { int err = errno; free(tgt); return throw_errno(env, err, "open /proc/thread-self/ns/net"); }
  if (unshare(CLONE_NEWNET) < 0) { int err = errno; close(self); free(tgt); return throw_errno(env, err, "unshare(CLONE_NEWNET)"); }
  int r = mount("/proc/thread-self/ns/net", tgt, "none", MS_BIND, NULL);
  int err = errno;
  free(tgt);
  if (setns(self, CLONE_NEWNET) < 0) {
    /* This thread would stay in the new namespace: nothing after this could be trusted. */
    fprintf(stderr, "pman: cannot return to the original network namespace: %s\n", strerror(errno));
    abort();
  }
  close(self);
  if (r < 0) return throw_errno(env, err, "mount netns");
  return NULL;
}

/* mknod(path, mode, major, minor): device nodes (overlay whiteouts are char 0:0). */
static napi_value do_mknod(napi_env env, napi_callback_info info) {
  size_t argc = 4; napi_value argv[4]; int32_t mode, maj, min;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *path = argc > 0 ? arg_str(env, argv[0]) : NULL;
  if (!path || argc < 4 || !arg_int(env, argv[1], &mode) || !arg_int(env, argv[2], &maj) || !arg_int(env, argv[3], &min)) {
    free(path); napi_throw_type_error(env, NULL, "mknod(path, mode, major, minor)"); return NULL;
  }
  int r = mknod(path, (mode_t)mode, makedev(maj, min));
  int err = errno;
  free(path);
  if (r < 0) return throw_errno(env, err, "mknod");
  return NULL;
}

/* lsetxattr(path, name, Buffer value) */
static napi_value do_lsetxattr(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *path = argc > 0 ? arg_str(env, argv[0]) : NULL, *name = argc > 1 ? arg_str(env, argv[1]) : NULL;
  void *data = NULL; size_t len = 0;
  if (!path || !name || argc < 3 || napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok) {
    free(path); free(name); napi_throw_type_error(env, NULL, "lsetxattr(path, name, buffer)"); return NULL;
  }
  int r = lsetxattr(path, name, data, len, 0);
  int err = errno;
  free(path); free(name);
  if (r < 0) return throw_errno(env, err, "lsetxattr");
  return NULL;
}

/* lgetxattr(path, name) -> Buffer or null when absent/unsupported. */
static napi_value do_lgetxattr(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *path = argc > 0 ? arg_str(env, argv[0]) : NULL, *name = argc > 1 ? arg_str(env, argv[1]) : NULL;
  if (!path || !name) { free(path); free(name); napi_throw_type_error(env, NULL, "lgetxattr(path, name)"); return NULL; }
  char buf[65536];
  ssize_t n = lgetxattr(path, name, buf, sizeof buf);
  int err = errno;
  free(path); free(name);
  napi_value result;
  if (n < 0) {
    if (err == ENODATA || err == ENOTSUP) { napi_get_null(env, &result); return result; }
    return throw_errno(env, err, "lgetxattr");
  }
  void *out;
  napi_create_buffer_copy(env, (size_t)n, buf, &out, &result);
  return result;
}

/* llistxattr(path) -> string[] */
static napi_value do_llistxattr(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *path = argc > 0 ? arg_str(env, argv[0]) : NULL;
  if (!path) { napi_throw_type_error(env, NULL, "llistxattr(path)"); return NULL; }
  char buf[65536];
  ssize_t n = llistxattr(path, buf, sizeof buf);
  int err = errno;
  free(path);
  napi_value arr; napi_create_array(env, &arr);
  if (n < 0) {
    if (err == ENOTSUP) return arr;
    return throw_errno(env, err, "llistxattr");
  }
  uint32_t i = 0;
  for (ssize_t off = 0; off < n; off += (ssize_t)strlen(buf + off) + 1) {
    napi_value s; napi_create_string_utf8(env, buf + off, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, i++, s);
  }
  return arr;
}

/* Writes text to /proc/PID/FILE; returns 0 or the errno. */
static int write_proc(pid_t pid, const char *file, const char *text) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  size_t len = strlen(text);
  ssize_t n = write(fd, text, len);
  int err = n < 0 ? errno : (size_t)n != len ? EIO : 0;
  close(fd);
  return err;
}

/* Waits for a helper child to exit (it does once its parent closes the pipe it reads). */
static void reap(pid_t pid) {
  if (pid > 0) { while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {} }
}

/* A helper child made with raw clone (it runs no code of this process but what is below, so the
 * other threads of Node do not matter): with userns >= 0 it first joins that user namespace
 * (setns of a user namespace needs a single-threaded caller, which the child is), then unshares
 * `unshare_flags`; it tells the parent on `ready` (0 or the errno) and waits until `hold` closes. */
static pid_t ns_helper(int clone_flags, int userns, int unshare_flags, int ready[2], int hold[2]) {
  pid_t pid = (pid_t)syscall(SYS_clone, clone_flags | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid != 0) return pid;
  close(ready[0]); close(hold[1]);
  int err = 0;
  if (userns >= 0 && setns(userns, CLONE_NEWUSER) < 0) err = errno;
  if (!err && unshare_flags && unshare(unshare_flags) < 0) err = errno;
  while (write(ready[1], &err, sizeof err) < 0 && errno == EINTR) {}
  char c;
  while (read(hold[0], &c, 1) < 0 && errno == EINTR) {}
  _exit(0);
}

/* Binds /proc/PID/ns/NS onto file (an existing empty file), as `ip netns add` keeps a namespace. */
static int bind_ns(pid_t pid, const char *ns, const char *file) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, ns);
  return mount(path, file, "none", MS_BIND, NULL) < 0 ? errno : 0;
}

/* Starts a helper (ns_helper) and waits until it is ready. Returns its pid with *hold the fd
 * whose closing lets it exit, or -1 with *err and *what set. */
static pid_t run_helper(int clone_flags, int userns, int unshare_flags, int *hold_fd, int *err, const char **what) {
  int ready[2], hold[2], child_err = 0;
  *what = "pipe2";
  if (pipe2(ready, O_CLOEXEC) < 0) { *err = errno; return -1; }
  if (pipe2(hold, O_CLOEXEC) < 0) { *err = errno; close(ready[0]); close(ready[1]); return -1; }
  pid_t pid = ns_helper(clone_flags, userns, unshare_flags, ready, hold);
  int clone_err = errno;
  close(ready[1]); close(hold[0]);
  *hold_fd = hold[1];
  if (pid < 0) { *err = clone_err; *what = "clone"; }
  else if (read(ready[0], &child_err, sizeof child_err) != sizeof child_err) { *err = EIO; *what = "the namespace helper"; }
  else if (child_err) { *err = child_err; *what = "enter the user namespace and unshare"; }
  close(ready[0]);
  if (*err) { close(hold[1]); reap(pid); return -1; }
  return pid;
}

/* usernsCreate(file, uidMap, gidMap): a new user namespace with these maps ("INSIDE OUTSIDE
 * COUNT" lines, as /proc/PID/uid_map takes them), kept by a bind mount on file. */
static napi_value userns_create(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *file = argc > 0 ? arg_str(env, argv[0]) : NULL, *uids = argc > 1 ? arg_str(env, argv[1]) : NULL, *gids = argc > 2 ? arg_str(env, argv[2]) : NULL;
  if (!file || !uids || !gids) { free(file); free(uids); free(gids); napi_throw_type_error(env, NULL, "usernsCreate(file, uidMap, gidMap)"); return NULL; }
  int hold = -1, err = 0;
  const char *what = NULL;
  pid_t pid = run_helper(CLONE_NEWUSER, -1, 0, &hold, &err, &what);
  if (!err) { err = write_proc(pid, "uid_map", uids); what = "write uid_map"; }
  if (!err) { err = write_proc(pid, "gid_map", gids); what = "write gid_map"; }
  if (!err) { err = bind_ns(pid, "user", file); what = "bind-mount the user namespace"; }
  if (pid > 0) { close(hold); reap(pid); }
  free(file); free(uids); free(gids);
  if (err) return throw_errno(env, err, what);
  return NULL;
}

/* netnsCreateIn(file, usernsFile): a new network namespace owned by the user namespace kept at
 * usernsFile (so that processes of that namespace may join it), kept by a bind mount on file. */
static napi_value netns_create_in(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *file = argc > 0 ? arg_str(env, argv[0]) : NULL, *ufile = argc > 1 ? arg_str(env, argv[1]) : NULL;
  if (!file || !ufile) { free(file); free(ufile); napi_throw_type_error(env, NULL, "netnsCreateIn(file, usernsFile)"); return NULL; }
  int hold = -1, err = 0;
  const char *what = "open the user namespace";
  pid_t pid = -1;
  int userns = open(ufile, O_RDONLY | O_CLOEXEC);
  if (userns < 0) err = errno;
  else pid = run_helper(0, userns, CLONE_NEWNET, &hold, &err, &what);
  if (userns >= 0) close(userns);
  if (!err) { err = bind_ns(pid, "net", file); what = "bind-mount the network namespace"; }
  if (pid > 0) { close(hold); reap(pid); }
  free(file); free(ufile);
  if (err) return throw_errno(env, err, what);
  return NULL;
}

/* mountIdmapped(source, target, usernsFd, recursive): a clone of the mount tree at source, its
 * IDs shifted through the user namespace's maps (MOUNT_ATTR_IDMAP), attached at target. */
static napi_value mount_idmapped(napi_env env, napi_callback_info info) {
  size_t argc = 4; napi_value argv[4]; int32_t ns; bool recursive = false;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *src = argc > 0 ? arg_str(env, argv[0]) : NULL, *tgt = argc > 1 ? arg_str(env, argv[1]) : NULL;
  if (!src || !tgt || argc < 4 || !arg_int(env, argv[2], &ns) || napi_get_value_bool(env, argv[3], &recursive) != napi_ok) {
    free(src); free(tgt); napi_throw_type_error(env, NULL, "mountIdmapped(source, target, usernsFd, recursive)"); return NULL;
  }
  unsigned rec = recursive ? AT_RECURSIVE : 0;
  int err = 0; const char *what = "open_tree";
  int tree = open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec);
  if (tree < 0) err = errno;
  if (!err) {
    struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)ns };
    if (mount_setattr(tree, "", AT_EMPTY_PATH | rec, &attr, sizeof attr) < 0) { err = errno; what = "mount_setattr(MOUNT_ATTR_IDMAP)"; }
  }
  if (!err && move_mount(tree, "", AT_FDCWD, tgt, MOVE_MOUNT_F_EMPTY_PATH) < 0) { err = errno; what = "move_mount"; }
  if (tree >= 0) close(tree);
  free(src); free(tgt);
  if (err) return throw_errno(env, err, what);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "recvFd", NULL, recv_fd, NULL, NULL, NULL, napi_enumerable, NULL },
    { "setNonblock", NULL, set_nonblock, NULL, NULL, NULL, napi_enumerable, NULL },
    { "setCloexec", NULL, set_cloexec, NULL, NULL, NULL, napi_enumerable, NULL },
    { "setWinsize", NULL, set_winsize, NULL, NULL, NULL, napi_enumerable, NULL },
    { "getWinsize", NULL, get_winsize, NULL, NULL, NULL, napi_enumerable, NULL },
    { "ttyMakeRaw", NULL, tty_make_raw, NULL, NULL, NULL, napi_enumerable, NULL },
    { "ttyRestore", NULL, tty_restore, NULL, NULL, NULL, napi_enumerable, NULL },
    { "setSubreaper", NULL, set_subreaper, NULL, NULL, NULL, napi_enumerable, NULL },
    { "setsid", NULL, do_setsid, NULL, NULL, NULL, napi_enumerable, NULL },
    { "waitpid", NULL, wait_pid, NULL, NULL, NULL, napi_enumerable, NULL },
    { "pipe", NULL, make_pipe, NULL, NULL, NULL, napi_enumerable, NULL },
    { "setPipeSize", NULL, set_pipe_size, NULL, NULL, NULL, napi_enumerable, NULL },
    { "closeFd", NULL, close_fd, NULL, NULL, NULL, napi_enumerable, NULL },
    { "mount", NULL, do_mount, NULL, NULL, NULL, napi_enumerable, NULL },
    { "umount", NULL, do_umount, NULL, NULL, NULL, napi_enumerable, NULL },
    { "netnsCreate", NULL, netns_create, NULL, NULL, NULL, napi_enumerable, NULL },
    { "mknod", NULL, do_mknod, NULL, NULL, NULL, napi_enumerable, NULL },
    { "lsetxattr", NULL, do_lsetxattr, NULL, NULL, NULL, napi_enumerable, NULL },
    { "lgetxattr", NULL, do_lgetxattr, NULL, NULL, NULL, napi_enumerable, NULL },
    { "llistxattr", NULL, do_llistxattr, NULL, NULL, NULL, napi_enumerable, NULL },
    { "usernsCreate", NULL, userns_create, NULL, NULL, NULL, napi_enumerable, NULL },
    { "netnsCreateIn", NULL, netns_create_in, NULL, NULL, NULL, napi_enumerable, NULL },
    { "mountIdmapped", NULL, mount_idmapped, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
