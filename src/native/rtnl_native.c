// rtnetlink native helper: the syscalls Node does not expose, nothing else.
//
// No netlink protocol knowledge lives here: TypeScript frames, encodes and
// decodes every message. This file hands out AF_NETLINK sockets, moves bytes
// with sendmsg/recvmsg, reports readiness through uv_poll, and wraps the
// namespace syscalls (setns, unshare, mount, umount2, flock). Work that must
// not let JavaScript run while the thread is in another namespace is done
// inside one call (socket_in_netns, unshare_netns).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <linux/nsfs.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

#include "errno_names.h"

#define CHECK(call)                                                    \
  do {                                                                 \
    if ((call) != napi_ok) {                                           \
      napi_throw_error(env, "EINTERNAL", "N-API call failed: " #call); \
      return NULL;                                                     \
    }                                                                  \
  } while (0)

#define MAX_IOV 1024

// Throws a Node-style system error: message "CODE: strerror, syscall",
// fields code ('EPERM'), errno (negative, as Node's fs errors) and syscall.
static napi_value throw_errno(napi_env env, int err, const char* syscall) {
  const char* code = errno_name(err);
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s, %s", code, strerror(err), syscall);
  napi_value jcode, jmsg, error, jerrno, jsyscall;
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &jcode);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &jmsg);
  napi_create_error(env, jcode, jmsg, &error);
  napi_create_int32(env, -err, &jerrno);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &jsyscall);
  napi_set_named_property(env, error, "errno", jerrno);
  napi_set_named_property(env, error, "syscall", jsyscall);
  napi_throw(env, error);
  return NULL;
}

static napi_value throw_type(napi_env env, const char* msg) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return NULL;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  for (size_t i = argc; i < want; i++) napi_get_undefined(env, &argv[i]);
  return 1;
}

static int arg_i32(napi_env env, napi_value v, int32_t* out) {
  return napi_get_value_int32(env, v, out) == napi_ok;
}

static int arg_u32(napi_env env, napi_value v, uint32_t* out) {
  return napi_get_value_uint32(env, v, out) == napi_ok;
}

// Copies a JS string (or null/undefined -> NULL) into buf. Returns 0 on type error.
static int arg_str(napi_env env, napi_value v, char* buf, size_t size, const char** out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_null || t == napi_undefined) {
    *out = NULL;
    return 1;
  }
  size_t len;
  if (napi_get_value_string_utf8(env, v, buf, size, &len) != napi_ok) return 0;
  if (len >= size - 1) return 0;
  *out = buf;
  return 1;
}

static napi_value num(napi_env env, double v) {
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}

static napi_value undef(napi_env env) {
  napi_value r;
  napi_get_undefined(env, &r);
  return r;
}

// socket(protocol) -> fd. Non-blocking, close-on-exec AF_NETLINK raw socket.
static napi_value Socket(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t protocol;
  if (!get_args(env, info, 1, argv) || !arg_i32(env, argv[0], &protocol))
    return throw_type(env, "socket(protocol: number)");
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
  if (fd < 0) return throw_errno(env, errno, "socket");
  return num(env, fd);
}

// bind() or connect() of fd to a netlink address (pid, groups): the two take the same arguments.
static napi_value with_address(napi_env env, napi_callback_info info, const char* name,
                               int (*call)(int, const struct sockaddr*, socklen_t)) {
  napi_value argv[3];
  int32_t fd;
  uint32_t pid, groups;
  if (!get_args(env, info, 3, argv) || !arg_i32(env, argv[0], &fd) ||
      !arg_u32(env, argv[1], &pid) || !arg_u32(env, argv[2], &groups)) {
    char msg[64];
    snprintf(msg, sizeof msg, "%s(fd: number, pid: number, groups: number)", name);
    return throw_type(env, msg);
  }
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = pid, .nl_groups = groups};
  if (call(fd, (struct sockaddr*)&sa, sizeof sa) < 0) return throw_errno(env, errno, name);
  return undef(env);
}

// bind(fd, pid, groups)
static napi_value Bind(napi_env env, napi_callback_info info) {
  return with_address(env, info, "bind", bind);
}

// connect(fd, pid, groups): the default destination. Connected to the kernel (pid 0), a
// socket is refused to other sockets: their unicasts to it fail with ECONNREFUSED.
static napi_value Connect(napi_env env, napi_callback_info info) {
  return with_address(env, info, "connect", connect);
}

// getsockname(fd) -> port id (nl_pid) the kernel assigned.
static napi_value GetSockName(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !arg_i32(env, argv[0], &fd))
    return throw_type(env, "getsockname(fd: number)");
  struct sockaddr_nl sa;
  socklen_t len = sizeof sa;
  memset(&sa, 0, sizeof sa);
  if (getsockname(fd, (struct sockaddr*)&sa, &len) < 0)
    return throw_errno(env, errno, "getsockname");
  return num(env, sa.nl_pid);
}

// setsockopt(fd, level, name, value) for int options.
static napi_value SetSockOpt(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int32_t fd, level, name, value;
  if (!get_args(env, info, 4, argv) || !arg_i32(env, argv[0], &fd) ||
      !arg_i32(env, argv[1], &level) || !arg_i32(env, argv[2], &name) ||
      !arg_i32(env, argv[3], &value))
    return throw_type(env, "setsockopt(fd, level, name, value: number)");
  if (setsockopt(fd, level, name, &value, sizeof value) < 0)
    return throw_errno(env, errno, "setsockopt");
  return undef(env);
}

// getsockopt(fd, level, name) -> int value.
static napi_value GetSockOpt(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t fd, level, name;
  if (!get_args(env, info, 3, argv) || !arg_i32(env, argv[0], &fd) ||
      !arg_i32(env, argv[1], &level) || !arg_i32(env, argv[2], &name))
    return throw_type(env, "getsockopt(fd, level, name: number)");
  int value = 0;
  socklen_t len = sizeof value;
  if (getsockopt(fd, level, name, &value, &len) < 0)
    return throw_errno(env, errno, "getsockopt");
  return num(env, value);
}

// Collects a Buffer or an array of Buffers into iov; returns the count or -1 (TypeError thrown).
static int collect_iov(napi_env env, napi_value v, struct iovec* iov) {
  bool is_array = false;
  napi_is_array(env, v, &is_array);
  if (!is_array) {
    if (napi_get_buffer_info(env, v, &iov[0].iov_base, &iov[0].iov_len) != napi_ok) {
      throw_type(env, "sendmsg: expected a Buffer or an array of Buffers");
      return -1;
    }
    return 1;
  }
  uint32_t n = 0;
  napi_get_array_length(env, v, &n);
  if (n > MAX_IOV) {
    throw_type(env, "sendmsg: too many buffers (max 1024)");
    return -1;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value el;
    if (napi_get_element(env, v, i, &el) != napi_ok ||
        napi_get_buffer_info(env, el, &iov[i].iov_base, &iov[i].iov_len) != napi_ok) {
      throw_type(env, "sendmsg: buffers must be Buffers");
      return -1;
    }
  }
  return (int)n;
}

static ssize_t do_sendmsg(int fd, struct iovec* iov, int n) {
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  struct msghdr msg = {.msg_name = &sa, .msg_namelen = sizeof sa, .msg_iov = iov, .msg_iovlen = n};
  ssize_t r;
  do r = sendmsg(fd, &msg, 0);
  while (r < 0 && errno == EINTR);
  return r;
}

// The spill area: a second iovec behind the caller's buffer on every single-datagram read,
// so that a datagram larger than that buffer (a link with many VFs or altnames: a GET's
// reply is sized to its object, past 64 KiB) is still read whole. The caller copies the
// rest out with takeSpill() before its next read. One per thread (each Node environment
// runs on its own); malloc'd, so its pages are only made resident when a datagram reaches
// them.
#define SPILL_SIZE (1 << 20)
static __thread char* spill;

static void spill_free(void* arg) {
  (void)arg;
  free(spill);
  spill = NULL;
}

// MSG_TRUNC makes the kernel return the datagram's real length; -1 when nothing is queued,
// -2 - errno on other failures. Bytes past len are in the spill area (up to SPILL_SIZE).
static ssize_t do_recvmsg(int fd, void* data, size_t len, struct sockaddr_nl* sa) {
  struct iovec iov[2] = {{.iov_base = data, .iov_len = len}, {.iov_base = spill, .iov_len = SPILL_SIZE}};
  struct msghdr msg = {.msg_name = sa, .msg_namelen = sizeof *sa, .msg_iov = iov, .msg_iovlen = spill ? 2 : 1};
  ssize_t r;
  do r = recvmsg(fd, &msg, MSG_TRUNC | MSG_DONTWAIT);
  while (r < 0 && errno == EINTR);
  if (r < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? -1 : -2 - errno;
  return r;
}

// Writes [nl_pid, nl_groups] of the sender into a Uint32Array(2) when either is not 0: the
// caller zeroes it before the call, so the common case (the kernel, unicast) skips the
// typed-array lookups (~2% of an awaited link.get).
static void store_sender(napi_env env, napi_value v, const struct sockaddr_nl* sa) {
  if (sa->nl_pid == 0 && sa->nl_groups == 0) return;
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_object) return;
  napi_typedarray_type tt;
  size_t tlen;
  void* tdata;
  if (napi_get_typedarray_info(env, v, &tt, &tlen, &tdata, NULL, NULL) == napi_ok &&
      tt == napi_uint32_array && tlen >= 2) {
    ((uint32_t*)tdata)[0] = sa->nl_pid;
    ((uint32_t*)tdata)[1] = sa->nl_groups;
  }
}

// sendmsg(fd, buffers: Buffer[] | Buffer) -> bytes sent. One syscall, to the kernel (port 0).
static napi_value SendMsg(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  if (!get_args(env, info, 2, argv) || !arg_i32(env, argv[0], &fd))
    return throw_type(env, "sendmsg(fd: number, buffers: Buffer[])");
  struct iovec iov[MAX_IOV];
  int n = collect_iov(env, argv[1], iov);
  if (n < 0) return NULL;
  ssize_t r = do_sendmsg(fd, iov, n);
  if (r < 0) return throw_errno(env, errno, "sendmsg");
  return num(env, (double)r);
}

// sendRecv(fd, buffers, buf, sender?) -> like sendmsg() then recvmsg(): rtnetlink
// answers inside sendmsg, so the reply is usually queued already. Saves a crossing
// into native code per request on the sequential path.
static napi_value SendRecv(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int32_t fd;
  void* data;
  size_t len;
  if (!get_args(env, info, 4, argv) || !arg_i32(env, argv[0], &fd) ||
      napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok)
    return throw_type(env, "sendRecv(fd: number, buffers: Buffer[], buf: Buffer, sender?: Uint32Array)");
  struct iovec iov[MAX_IOV];
  int n = collect_iov(env, argv[1], iov);
  if (n < 0) return NULL;
  if (do_sendmsg(fd, iov, n) < 0) return throw_errno(env, errno, "sendmsg");
  struct sockaddr_nl sa;
  memset(&sa, 0, sizeof sa);
  ssize_t r = do_recvmsg(fd, data, len, &sa);
  if (r < -1) return throw_errno(env, (int)(-2 - r), "recvmsg");
  if (r >= 0) store_sender(env, argv[3], &sa);
  return num(env, (double)r);
}

// recvmsg(fd, buf, sender?: Uint32Array(2)) -> length, or -1 when nothing is queued.
// With MSG_TRUNC the kernel returns the datagram's real length, so a result
// larger than buf.length tells the caller the datagram was truncated.
// sender (optional) receives [nl_pid, nl_groups] of the sender.
static napi_value RecvMsg(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t fd;
  void* data;
  size_t len;
  if (!get_args(env, info, 3, argv) || !arg_i32(env, argv[0], &fd) ||
      napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok)
    return throw_type(env, "recvmsg(fd: number, buf: Buffer, sender?: Uint32Array)");
  struct sockaddr_nl sa;
  memset(&sa, 0, sizeof sa);
  ssize_t r = do_recvmsg(fd, data, len, &sa);
  if (r < -1) return throw_errno(env, (int)(-2 - r), "recvmsg");
  if (r >= 0) store_sender(env, argv[2], &sa);
  return num(env, (double)r);
}

// takeSpill(buf, offset, length) -> bytes copied: the part of the last datagram read by
// recvmsg/sendRecv that did not fit its buffer (its real length minus the buffer's), copied
// to buf at offset. Valid until the next read on this thread.
static napi_value TakeSpill(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  void* data;
  size_t len;
  int32_t off, n;
  if (!get_args(env, info, 3, argv) || napi_get_buffer_info(env, argv[0], &data, &len) != napi_ok ||
      !arg_i32(env, argv[1], &off) || !arg_i32(env, argv[2], &n) || off < 0 || n < 0 ||
      (size_t)off + (size_t)n > len)
    return throw_type(env, "takeSpill(buf: Buffer, offset: number, length: number) within buf");
  if (!spill) n = 0;
  if (n > SPILL_SIZE) n = SPILL_SIZE;
  memcpy((char*)data + off, spill, (size_t)n);
  return num(env, n);
}

// recvBatch(fd, buf, slot, lens: Int32Array, pids?: Uint32Array) -> datagrams read (0 when
// none is queued). One recvmmsg() into consecutive slots of `slot` bytes; lens[i] is each
// datagram's real length (larger than slot when it was truncated), pids[i] its sender's port
// id (0: the kernel). Draining 1,024 ACKs takes 16 syscalls instead of 1,024.
#define BATCH_MAX 64
static napi_value RecvBatch(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int32_t fd, slot;
  void* data;
  size_t len;
  napi_typedarray_type tt;
  size_t nlens;
  void* lens;
  if (!get_args(env, info, 5, argv) || !arg_i32(env, argv[0], &fd) ||
      napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok || !arg_i32(env, argv[2], &slot) || slot <= 0 ||
      napi_get_typedarray_info(env, argv[3], &tt, &nlens, &lens, NULL, NULL) != napi_ok || tt != napi_int32_array)
    return throw_type(env, "recvBatch(fd: number, buf: Buffer, slot: number, lens: Int32Array, pids?: Uint32Array)");
  size_t npids = 0;
  void* pids = NULL;
  napi_valuetype pt;
  if (napi_typeof(env, argv[4], &pt) == napi_ok && pt == napi_object &&
      (napi_get_typedarray_info(env, argv[4], &tt, &npids, &pids, NULL, NULL) != napi_ok || tt != napi_uint32_array))
    return throw_type(env, "recvBatch: pids must be a Uint32Array");
  size_t n = len / (size_t)slot;
  if (n > nlens) n = nlens;
  if (n > BATCH_MAX) n = BATCH_MAX;
  if (n == 0) return throw_type(env, "recvBatch: buffer smaller than one slot");
  struct mmsghdr msgs[BATCH_MAX];
  struct iovec iov[BATCH_MAX];
  struct sockaddr_nl sa[BATCH_MAX];
  memset(msgs, 0, sizeof(struct mmsghdr) * n);
  for (size_t i = 0; i < n; i++) {
    iov[i].iov_base = (char*)data + i * (size_t)slot;
    iov[i].iov_len = (size_t)slot;
    msgs[i].msg_hdr.msg_name = &sa[i];
    msgs[i].msg_hdr.msg_namelen = sizeof sa[i];
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  int r;
  do r = recvmmsg(fd, msgs, (unsigned)n, MSG_TRUNC | MSG_DONTWAIT, NULL);
  while (r < 0 && errno == EINTR);
  if (r < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return num(env, 0);
    return throw_errno(env, errno, "recvmmsg");
  }
  for (int i = 0; i < r; i++) ((int32_t*)lens)[i] = (int32_t)msgs[i].msg_len;
  for (int i = 0; i < r && (size_t)i < npids; i++) ((uint32_t*)pids)[i] = sa[i].nl_pid;
  return num(env, r);
}

// close(fd)
static napi_value Close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !arg_i32(env, argv[0], &fd))
    return throw_type(env, "close(fd: number)");
  if (close(fd) < 0 && errno != EINTR) return throw_errno(env, errno, "close");
  return undef(env);
}

// ---- readiness through uv_poll -------------------------------------------

typedef struct {
  uv_poll_t handle;
  napi_env env;
  napi_ref callback;
  napi_async_context context;
  int closing;
} poller_t;

static void poller_free(uv_handle_t* h) {
  free(h->data);
}

static void poller_cleanup_hook(void* arg);

static void poller_close(poller_t* p) {
  if (p->closing) return;
  p->closing = 1;
  napi_remove_env_cleanup_hook(p->env, poller_cleanup_hook, p);
  if (p->callback) napi_delete_reference(p->env, p->callback);
  if (p->context) napi_async_destroy(p->env, p->context);
  p->callback = NULL;
  p->context = NULL;
  uv_poll_stop(&p->handle);
  uv_close((uv_handle_t*)&p->handle, poller_free);
}

static void poller_cleanup_hook(void* arg) {
  poller_t* p = arg;
  if (p->closing) return;
  p->closing = 1;
  uv_poll_stop(&p->handle);
  uv_close((uv_handle_t*)&p->handle, poller_free);
}

static void on_poll(uv_poll_t* handle, int status, int events) {
  poller_t* p = handle->data;
  if (p->closing || !p->callback) return;
  napi_env env = p->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb, recv, argv[2], result;
  if (napi_get_reference_value(env, p->callback, &cb) == napi_ok && cb) {
    napi_get_global(env, &recv);  // make_callback needs an object receiver
    napi_create_int32(env, status, &argv[0]);
    napi_create_int32(env, events, &argv[1]);
    // make_callback drains the microtask queue afterwards, so promises resolved
    // by the callback continue before the loop polls again.
    napi_make_callback(env, p->context, recv, cb, 2, argv, &result);
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value ex;
      napi_get_and_clear_last_exception(env, &ex);
      napi_fatal_exception(env, ex);
    }
  }
  napi_close_handle_scope(env, scope);
}

static void poller_finalize(napi_env env, void* data, void* hint) {
  (void)env;
  (void)data;
  (void)hint;
  // Lifetime is explicit (pollClose); the external only points at it.
}

// pollCreate(fd, callback(status, events)) -> handle. Created stopped and unref'd.
static napi_value PollCreate(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  napi_valuetype t;
  if (!get_args(env, info, 2, argv) || !arg_i32(env, argv[0], &fd) ||
      napi_typeof(env, argv[1], &t) != napi_ok || t != napi_function)
    return throw_type(env, "pollCreate(fd: number, callback: Function)");
  uv_loop_t* loop;
  CHECK(napi_get_uv_event_loop(env, &loop));
  poller_t* p = calloc(1, sizeof *p);
  if (!p) return throw_errno(env, ENOMEM, "pollCreate");
  int r = uv_poll_init_socket(loop, &p->handle, fd);
  if (r < 0) {
    free(p);
    return throw_errno(env, -r, "uv_poll_init");
  }
  p->handle.data = p;
  p->env = env;
  napi_value name;
  napi_create_string_utf8(env, "rtnetlink:poll", NAPI_AUTO_LENGTH, &name);
  napi_create_reference(env, argv[1], 1, &p->callback);
  napi_async_init(env, NULL, name, &p->context);
  napi_add_env_cleanup_hook(env, poller_cleanup_hook, p);
  napi_value ext;
  CHECK(napi_create_external(env, p, poller_finalize, NULL, &ext));
  return ext;
}

static poller_t* get_poller(napi_env env, napi_value v) {
  void* p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok) return NULL;
  return p;
}

// pollStart(handle, events): 1 = readable, 2 = writable. 0 stops.
static napi_value PollStart(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t events;
  if (!get_args(env, info, 2, argv)) return NULL;
  poller_t* p = get_poller(env, argv[0]);
  if (!p || !arg_i32(env, argv[1], &events)) return throw_type(env, "pollStart(handle, events)");
  if (p->closing) return undef(env);
  int r = events ? uv_poll_start(&p->handle, events, on_poll) : uv_poll_stop(&p->handle);
  if (r < 0) return throw_errno(env, -r, "uv_poll_start");
  return undef(env);
}

// pollRef(handle, ref: boolean): whether an active poll keeps the event loop alive.
static napi_value PollRef(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  bool ref;
  if (!get_args(env, info, 2, argv)) return NULL;
  poller_t* p = get_poller(env, argv[0]);
  if (!p || napi_get_value_bool(env, argv[1], &ref) != napi_ok)
    return throw_type(env, "pollRef(handle, ref: boolean)");
  if (p->closing) return undef(env);
  if (ref) uv_ref((uv_handle_t*)&p->handle);
  else uv_unref((uv_handle_t*)&p->handle);
  return undef(env);
}

// pollClose(handle): stops and frees the poll handle. Call before closing the fd.
static napi_value PollClose(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  poller_t* p = get_poller(env, argv[0]);
  if (!p) return throw_type(env, "pollClose(handle)");
  poller_close(p);
  return undef(env);
}

// ---- namespaces -----------------------------------------------------------

// setns(fd, nstype)
static napi_value SetNs(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd, nstype;
  if (!get_args(env, info, 2, argv) || !arg_i32(env, argv[0], &fd) || !arg_i32(env, argv[1], &nstype))
    return throw_type(env, "setns(fd: number, nstype: number)");
  if (setns(fd, nstype) < 0) return throw_errno(env, errno, "setns");
  return undef(env);
}

// unshare(flags). Affects the calling thread; callers decide whether that is safe.
static napi_value Unshare(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t flags;
  if (!get_args(env, info, 1, argv) || !arg_i32(env, argv[0], &flags))
    return throw_type(env, "unshare(flags: number)");
  if (unshare(flags) < 0) return throw_errno(env, errno, "unshare");
  return undef(env);
}

typedef struct {
  int fd;
  int err;
  const char* syscall;
} unshare_result_t;

static void* unshare_thread(void* arg) {
  unshare_result_t* res = arg;
  if (unshare(CLONE_NEWNET) < 0) {
    res->err = errno;
    res->syscall = "unshare";
    return NULL;
  }
  int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    res->err = errno;
    res->syscall = "open";
    return NULL;
  }
  res->fd = fd;
  return NULL;
}

// unshareNetns() -> fd of a new network namespace. The unshare happens on a
// short-lived thread that exits right after, so no thread of this process is
// ever left in the new namespace and no fork is needed.
static napi_value UnshareNetns(napi_env env, napi_callback_info info) {
  (void)info;
  unshare_result_t res = {.fd = -1};
  pthread_t th;
  int r = pthread_create(&th, NULL, unshare_thread, &res);
  if (r != 0) return throw_errno(env, r, "pthread_create");
  pthread_join(th, NULL);
  if (res.fd < 0) return throw_errno(env, res.err, res.syscall);
  return num(env, res.fd);
}

// Switches the calling thread into nsfd, runs fn, switches back. If the switch
// back fails the thread is in the wrong namespace and nothing safe can follow.
// The way back is tried first: a process in a user namespace may enter a network
// namespace it owns but lack CAP_SYS_ADMIN over the one it came from (EPERM).
static int in_netns(int nsfd, int (*fn)(void*), void* arg, const char* fn_syscall, int* err, const char** syscall) {
  int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (self < 0) {
    *err = errno;
    *syscall = "open";
    return -1;
  }
  if (setns(self, CLONE_NEWNET) < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
    *err = errno;
    *syscall = "setns";
    close(self);
    return -1;
  }
  int r = fn(arg);
  int saved = errno;
  if (setns(self, CLONE_NEWNET) < 0) {
    fprintf(stderr, "rtnetlink: cannot restore the thread's network namespace: %s\n", strerror(errno));
    abort();
  }
  close(self);
  if (r < 0) {
    *err = saved;
    *syscall = fn_syscall;
  }
  return r;
}

static int make_socket(void* arg) {
  int protocol = *(int*)arg;
  return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
}

// socketInNetns(nsfd, protocol) -> fd of a netlink socket living in that namespace.
static napi_value SocketInNetns(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t nsfd, protocol;
  if (!get_args(env, info, 2, argv) || !arg_i32(env, argv[0], &nsfd) || !arg_i32(env, argv[1], &protocol))
    return throw_type(env, "socketInNetns(nsfd: number, protocol: number)");
  int err = 0;
  const char* syscall = NULL;
  int fd = in_netns(nsfd, make_socket, &protocol, "socket", &err, &syscall);
  if (fd < 0) return throw_errno(env, err, syscall);
  return num(env, fd);
}

struct open_args {
  const char* path;
  int flags;
};

static int open_file(void* arg) {
  const struct open_args* a = arg;
  return open(a->path, a->flags | O_CLOEXEC);
}

// openInNetns(nsfd, path, flags) -> fd of path opened inside the namespace nsfd (O_CLOEXEC
// added), in one native call: for a device that binds itself to its opener's namespace
// (/dev/net/tun makes its interface there), without JavaScript running in that namespace.
static napi_value OpenInNetns(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t nsfd, flags;
  char path[4096];
  struct open_args a;
  if (!get_args(env, info, 3, argv) || !arg_i32(env, argv[0], &nsfd) || !arg_str(env, argv[1], path, sizeof path, &a.path) ||
      !a.path || !arg_i32(env, argv[2], &flags))
    return throw_type(env, "openInNetns(nsfd: number, path: string, flags: number)");
  a.flags = flags;
  int err = 0;
  const char* syscall = NULL;
  int fd = in_netns(nsfd, open_file, &a, "open", &err, &syscall);
  if (fd < 0) return throw_errno(env, err, syscall);
  return num(env, fd);
}

// ioctl(fd, request, arg: Buffer | number) -> what ioctl() returns (a new fd for SIOCGSKNS).
// A Buffer goes by address (the kernel reads and may write it), a number by value.
static napi_value Ioctl(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t fd;
  double req;
  if (!get_args(env, info, 3, argv) || !arg_i32(env, argv[0], &fd) || napi_get_value_double(env, argv[1], &req) != napi_ok ||
      req < 0 || req > 4294967295.0)
    return throw_type(env, "ioctl(fd: number, request: number, arg: Buffer | number)");
  bool is_buf = false;
  napi_is_buffer(env, argv[2], &is_buf);
  int r;
  if (is_buf) {
    void* data;
    size_t len;
    if (napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok) return throw_type(env, "ioctl: bad buffer");
    do r = ioctl(fd, (unsigned long)req, data);
    while (r < 0 && errno == EINTR);
  } else {
    double v;
    if (napi_get_value_double(env, argv[2], &v) != napi_ok || v < 0 || v > 4294967295.0)
      return throw_type(env, "ioctl: arg must be a Buffer or a number in 0..2^32-1");
    do r = ioctl(fd, (unsigned long)req, (unsigned long)v);
    while (r < 0 && errno == EINTR);
  }
  if (r < 0) return throw_errno(env, errno, "ioctl");
  return num(env, r);
}

// mount(source, target, fstype, flags, data)
static napi_value Mount(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  char src[4096], tgt[4096], fst[256], dat[1024];
  const char *psrc, *ptgt, *pfst, *pdat;
  double flags;
  if (!get_args(env, info, 5, argv) || !arg_str(env, argv[0], src, sizeof src, &psrc) ||
      !arg_str(env, argv[1], tgt, sizeof tgt, &ptgt) || !ptgt ||
      !arg_str(env, argv[2], fst, sizeof fst, &pfst) ||
      napi_get_value_double(env, argv[3], &flags) != napi_ok ||
      !arg_str(env, argv[4], dat, sizeof dat, &pdat))
    return throw_type(env, "mount(source, target, fstype, flags, data)");
  if (mount(psrc ? psrc : "none", ptgt, pfst ? pfst : "none", (unsigned long)flags, pdat) < 0)
    return throw_errno(env, errno, "mount");
  return undef(env);
}

// umount2(target, flags)
static napi_value Umount2(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char tgt[4096];
  const char* ptgt;
  int32_t flags;
  if (!get_args(env, info, 2, argv) || !arg_str(env, argv[0], tgt, sizeof tgt, &ptgt) || !ptgt ||
      !arg_i32(env, argv[1], &flags))
    return throw_type(env, "umount2(target: string, flags: number)");
  if (umount2(ptgt, flags) < 0) return throw_errno(env, errno, "umount2");
  return undef(env);
}

// flock(fd, operation) -> true, or false when LOCK_NB was given and the lock is held.
static napi_value Flock(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd, op;
  if (!get_args(env, info, 2, argv) || !arg_i32(env, argv[0], &fd) || !arg_i32(env, argv[1], &op))
    return throw_type(env, "flock(fd: number, operation: number)");
  int r;
  do r = flock(fd, op);
  while (r < 0 && errno == EINTR);
  napi_value out;
  if (r < 0) {
    if (errno == EWOULDBLOCK && (op & LOCK_NB)) {
      napi_get_boolean(env, false, &out);
      return out;
    }
    return throw_errno(env, errno, "flock");
  }
  napi_get_boolean(env, true, &out);
  return out;
}

// nsType(fd) -> the CLONE_NEW* type of the namespace an nsfs fd refers to (NS_GET_NSTYPE).
static napi_value NsType(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !arg_i32(env, argv[0], &fd))
    return throw_type(env, "nsType(fd: number)");
  int r = ioctl(fd, NS_GET_NSTYPE);
  if (r < 0) return throw_errno(env, errno, "ioctl");
  return num(env, r);
}

// gettid() -> the calling thread's id (for /proc/self/task/TID paths).
static napi_value GetTid(napi_env env, napi_callback_info info) {
  (void)info;
  return num(env, gettid());
}

// A NULL-terminated copy of a JS array of strings (argv/envp for execvpe), or NULL.
static char** str_array(napi_env env, napi_value arr) {
  bool is_arr = false;
  uint32_t n = 0;
  if (napi_is_array(env, arr, &is_arr) != napi_ok || !is_arr || napi_get_array_length(env, arr, &n) != napi_ok || n > 65536)
    return NULL;
  char** out = calloc((size_t)n + 1, sizeof *out);
  if (!out) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    size_t len;
    if (napi_get_element(env, arr, i, &v) != napi_ok || napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok ||
        !(out[i] = malloc(len + 1)) || napi_get_value_string_utf8(env, v, out[i], len + 1, &len) != napi_ok) {
      for (uint32_t j = 0; j <= i; j++) free(out[j]);
      free(out);
      return NULL;
    }
  }
  return out;
}

// execvpe(file, argv, envp): replaces this process (the ip-netns-exec helper) with the
// program. Stdio and signals are reset first, as libuv does for spawned children: Node
// ignores SIGPIPE (an ignored signal stays ignored across exec) and sets FD_CLOEXEC on 0-2.
// Returns only by throwing.
static napi_value ExecVpe(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  char file[4096];
  const char* pfile;
  if (!get_args(env, info, 3, argv) || !arg_str(env, argv[0], file, sizeof file, &pfile) || !pfile)
    return throw_type(env, "execvpe(file: string, argv: string[], env: string[])");
  char** args = str_array(env, argv[1]);
  char** envp = str_array(env, argv[2]);
  if (!args || !envp || !args[0]) {
    // (a failed copy is freed by str_array; the other leaks only on this usage error)
    return throw_type(env, "execvpe(file: string, argv: string[] (not empty), env: string[])");
  }
  // Node marks stdio close-on-exec and may have made it non-blocking: hand the program
  // plain fds 0-2, as libuv's spawn does for its children.
  for (int fd = 0; fd <= 2; fd++) {
    int fdf = fcntl(fd, F_GETFD);
    if (fdf >= 0 && (fdf & FD_CLOEXEC)) fcntl(fd, F_SETFD, fdf & ~FD_CLOEXEC);
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK)) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  }
  for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execvpe(pfile, args, envp);
  int err = errno;
  for (char** a = args; *a; a++) free(*a);
  for (char** e = envp; *e; e++) free(*e);
  free(args);
  free(envp);
  return throw_errno(env, err, "execvpe");
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
#define FN(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_enumerable, NULL}
      FN("socket", Socket),
      FN("bind", Bind),
      FN("connect", Connect),
      FN("getsockname", GetSockName),
      FN("setsockopt", SetSockOpt),
      FN("getsockopt", GetSockOpt),
      FN("sendmsg", SendMsg),
      FN("recvmsg", RecvMsg),
      FN("sendRecv", SendRecv),
      FN("recvBatch", RecvBatch),
      FN("takeSpill", TakeSpill),
      FN("close", Close),
      FN("pollCreate", PollCreate),
      FN("pollStart", PollStart),
      FN("pollRef", PollRef),
      FN("pollClose", PollClose),
      FN("setns", SetNs),
      FN("unshare", Unshare),
      FN("unshareNetns", UnshareNetns),
      FN("socketInNetns", SocketInNetns),
      FN("openInNetns", OpenInNetns),
      FN("ioctl", Ioctl),
      FN("mount", Mount),
      FN("umount2", Umount2),
      FN("flock", Flock),
      FN("nsType", NsType),
      FN("gettid", GetTid),
      FN("execvpe", ExecVpe),
#undef FN
  };
  CHECK(napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  if (!spill) {
    spill = malloc(SPILL_SIZE);
    if (spill) napi_add_env_cleanup_hook(env, spill_free, NULL);
  }
  napi_value size;
  CHECK(napi_create_int32(env, spill ? SPILL_SIZE : 0, &size));
  CHECK(napi_set_named_property(env, exports, "spillSize", size));
  // ioctl numbers are encoded per architecture: taken from the headers, not from JavaScript.
  static const struct {
    const char* name;
    unsigned long value;
  } ioctls[] = {
      {"TUNSETIFF", TUNSETIFF}, {"TUNSETPERSIST", TUNSETPERSIST}, {"TUNSETOWNER", TUNSETOWNER},
      {"TUNSETGROUP", TUNSETGROUP}, {"SIOCGSKNS", SIOCGSKNS},
  };
  napi_value table;
  CHECK(napi_create_object(env, &table));
  for (size_t i = 0; i < sizeof ioctls / sizeof ioctls[0]; i++) {
    napi_value v;
    CHECK(napi_create_double(env, (double)ioctls[i].value, &v));
    CHECK(napi_set_named_property(env, table, ioctls[i].name, v));
  }
  CHECK(napi_set_named_property(env, exports, "ioctls", table));
  return exports;
}

NAPI_MODULE_INIT() { return Init(env, exports); }
