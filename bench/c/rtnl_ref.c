/*
 * rtnl_ref: the C reference contender of the rtnetlink benchmarks (bench/run.mjs).
 *
 * Raw AF_NETLINK/NETLINK_ROUTE sockets, no library. Each operation exists in a
 * sequential mode (one request, wait for its ACK or reply) and a pipelined mode
 * (--pipe N: N requests in one sendmsg, then drain the N ACKs/replies). Dumps walk
 * every attribute of every message, as a real client must, and fold a few values
 * into a checksum so the work cannot be skipped.
 *
 * The sockets are created inside named namespaces (/run/netns/NAME) with setns();
 * the process itself never changes anything in the namespace it was started in.
 * Every receive has a timeout (SO_RCVTIMEO), every loop is bounded by a count.
 *
 *   rtnl_ref [--netns NS] [--warm-netns NS] [--netns2 NS] [--warm-netns2 NS]
 *            [--pipe N] OP [--count N] [--warm-count N] [--index I] [--dev NAME]
 *            [--base A.B.C.D] [--plen P] [--repeat K]
 *   OP: getlink | addr-add | addr-dump | route-add | route-dump | link-churn
 *
 *   rtnl_ref exec [--stdout-null] -- CMD ARGS...           time one process
 *   rtnl_ref spawn-each --file F [--stdout-null] -- CMD ARGS...
 *            one process per line of F (its words appended to CMD ARGS), in order
 *
 * --repeat K (dumps): the timed dump runs K times in this process after the warm-up;
 * seconds is their median, first the first one's, runs all of them.
 *
 * Prints one JSON object: seconds (timed part only), ops, count (messages decoded),
 * checksum, maxrss_kib (VmHWM of this process; for exec/spawn-each the largest child's
 * ru_maxrss, which includes this program's small image as their pre-exec parent).
 * Compile: cc -O2 -Wall -o rtnl_ref rtnl_ref.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

extern char **environ;

#define MAX_PIPE 4096
#define REQ_MAX 512           /* bytes reserved per request in a batch */
#define RECV_BUF (1 << 16)    /* like iproute2's 32 KiB, rounded up */
#define RCVBUF_FORCE (32 << 20)

static void die(const char *what) {
  fprintf(stderr, "rtnl_ref: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void fail(const char *msg) {
  fprintf(stderr, "rtnl_ref: %s\n", msg);
  exit(1);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Peak RSS of this program: VmHWM of its own memory map. getrusage()'s ru_maxrss is not
 * used here because it also counts the image of the process that forked us, before exec
 * (a Node or Python parent shows through as 4-14 MiB).
 */
static long maxrss_self(void) {
  long v = -1;
  char line[256];
  FILE *f = fopen("/proc/self/status", "r");
  if (f) {
    while (fgets(line, sizeof line, f))
      if (!strncmp(line, "VmHWM:", 6)) v = atol(line + 6);
    fclose(f);
  }
  if (v < 0) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    v = ru.ru_maxrss;
  }
  return v;
}

/* ---------------------------------------------------------------- sockets */

struct sock {
  int fd;
  uint32_t seq;
  const char *netns;
};

static int open_netns_fd(const char *name) {
  char path[512];
  if (strchr(name, '/') || !*name) fail("bad namespace name");
  snprintf(path, sizeof path, "/run/netns/%s", name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die(path);
  return fd;
}

/* A NETLINK_ROUTE socket created inside namespace `name` (NULL: the current one). */
static void sock_open(struct sock *s, const char *name) {
  int self = -1;
  if (name) {
    self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (self < 0) die("open /proc/self/ns/net");
    int ns = open_netns_fd(name);
    if (setns(ns, CLONE_NEWNET) < 0) die("setns");
    close(ns);
  }
  s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  int saved = errno;
  if (name) {
    if (setns(self, CLONE_NEWNET) < 0) die("setns back");
    close(self);
  }
  errno = saved;
  if (s->fd < 0) die("socket");
  int one = 1, big = RCVBUF_FORCE, snd = 4 << 20;
  if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) < 0)
    setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  if (setsockopt(s->fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof snd) < 0)
    setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof snd);
  setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  struct timeval tv = {.tv_sec = 30};
  if (setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0) die("SO_RCVTIMEO");
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  if (bind(s->fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind");
  s->seq = (uint32_t)time(NULL);
  s->netns = name;
}

/* ------------------------------------------------------- message building */

struct batch {
  char *buf;
  size_t len;
  int n;
  uint32_t first_seq;
};

static struct nlmsghdr *msg_begin(struct batch *b, struct sock *s, uint16_t type, uint16_t flags) {
  if (b->len + REQ_MAX > (size_t)MAX_PIPE * REQ_MAX) fail("batch overflow");
  struct nlmsghdr *h = (struct nlmsghdr *)(b->buf + b->len);
  memset(h, 0, REQ_MAX);
  h->nlmsg_len = NLMSG_HDRLEN;
  h->nlmsg_type = type;
  h->nlmsg_flags = NLM_F_REQUEST | flags;
  h->nlmsg_seq = ++s->seq;
  if (b->n == 0) b->first_seq = h->nlmsg_seq;
  b->n++;
  return h;
}

static void *msg_put(struct nlmsghdr *h, size_t len) {
  void *p = (char *)h + NLMSG_ALIGN(h->nlmsg_len);
  h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + (uint32_t)len;
  if (h->nlmsg_len > REQ_MAX) fail("request too long");
  return p;
}

static struct rtattr *attr_put(struct nlmsghdr *h, uint16_t type, const void *data, size_t len) {
  struct rtattr *a = msg_put(h, RTA_LENGTH(len));
  a->rta_type = type;
  a->rta_len = (uint16_t)RTA_LENGTH(len);
  if (len) memcpy(RTA_DATA(a), data, len);
  return a;
}

static void attr_str(struct nlmsghdr *h, uint16_t type, const char *s) { attr_put(h, type, s, strlen(s) + 1); }
static void attr_u32(struct nlmsghdr *h, uint16_t type, uint32_t v) { attr_put(h, type, &v, 4); }
static struct rtattr *nest_begin(struct nlmsghdr *h, uint16_t type) { return attr_put(h, type, NULL, 0); }
static void nest_end(struct nlmsghdr *h, struct rtattr *a) {
  h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len); /* the nest's padding belongs to the message too */
  a->rta_len = (uint16_t)((char *)h + h->nlmsg_len - (char *)a);
}
static void msg_end(struct batch *b, struct nlmsghdr *h) { b->len += NLMSG_ALIGN(h->nlmsg_len); }

/* ----------------------------------------------------- decoding (minimal) */

struct tally {
  uint64_t count;    /* data messages decoded */
  uint64_t attrs;    /* attributes walked */
  uint64_t checksum; /* folded attribute values */
};

static void walk_attrs(struct tally *t, struct rtattr *a, int len, int family_kind) {
  for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    t->attrs++;
    unsigned plen = RTA_PAYLOAD(a);
    const unsigned char *d = RTA_DATA(a);
    switch (family_kind) {
    case RTM_NEWLINK:
      if (a->rta_type == IFLA_IFNAME) t->checksum += strnlen((const char *)d, plen);
      else if ((a->rta_type == IFLA_MTU || a->rta_type == IFLA_TXQLEN) && plen >= 4) t->checksum += *(const uint32_t *)d;
      break;
    case RTM_NEWADDR:
      if ((a->rta_type == IFA_LOCAL || a->rta_type == IFA_ADDRESS) && plen >= 4) t->checksum += ntohl(*(const uint32_t *)d);
      else if (a->rta_type == IFA_LABEL) t->checksum += strnlen((const char *)d, plen);
      else if (a->rta_type == IFA_FLAGS && plen >= 4) t->checksum += *(const uint32_t *)d;
      break;
    case RTM_NEWROUTE:
      if ((a->rta_type == RTA_DST || a->rta_type == RTA_GATEWAY || a->rta_type == RTA_PREFSRC) && plen >= 4)
        t->checksum += ntohl(*(const uint32_t *)d);
      else if ((a->rta_type == RTA_TABLE || a->rta_type == RTA_OIF || a->rta_type == RTA_PRIORITY) && plen >= 4)
        t->checksum += *(const uint32_t *)d;
      break;
    }
  }
}

static void decode(struct tally *t, struct nlmsghdr *h) {
  t->count++;
  switch (h->nlmsg_type) {
  case RTM_NEWLINK: {
    struct ifinfomsg *m = NLMSG_DATA(h);
    t->checksum += (uint32_t)m->ifi_index + m->ifi_flags;
    walk_attrs(t, IFLA_RTA(m), (int)IFLA_PAYLOAD(h), RTM_NEWLINK);
    break;
  }
  case RTM_NEWADDR: {
    struct ifaddrmsg *m = NLMSG_DATA(h);
    t->checksum += m->ifa_prefixlen + m->ifa_index;
    walk_attrs(t, IFA_RTA(m), (int)IFA_PAYLOAD(h), RTM_NEWADDR);
    break;
  }
  case RTM_NEWROUTE: {
    struct rtmsg *m = NLMSG_DATA(h);
    t->checksum += m->rtm_dst_len + m->rtm_type + m->rtm_table;
    walk_attrs(t, RTM_RTA(m), (int)RTM_PAYLOAD(h), RTM_NEWROUTE);
    break;
  }
  default:
    break;
  }
}

/* ------------------------------------------------------------- send / recv */

static char *rbuf;

static void send_batch(struct sock *s, struct batch *b) {
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  struct iovec iov = {.iov_base = b->buf, .iov_len = b->len};
  struct msghdr mh = {.msg_name = &sa, .msg_namelen = sizeof sa, .msg_iov = &iov, .msg_iovlen = 1};
  ssize_t r;
  do r = sendmsg(s->fd, &mh, 0);
  while (r < 0 && errno == EINTR);
  if (r < 0) die("sendmsg");
  if ((size_t)r != b->len) fail("short sendmsg");
}

static void report_nlerr(struct nlmsghdr *h, int err) {
  const char *ext = NULL;
  if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
    struct nlmsgerr *e = NLMSG_DATA(h);
    size_t off = sizeof *e; /* NETLINK_CAP_ACK: request payload not echoed */
    if (!(h->nlmsg_flags & NLM_F_CAPPED)) off += e->msg.nlmsg_len - NLMSG_HDRLEN;
    struct rtattr *a = (struct rtattr *)((char *)e + NLMSG_ALIGN(off));
    int len = (int)h->nlmsg_len - (int)((char *)a - (char *)h);
    for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
      if (a->rta_type == NLMSGERR_ATTR_MSG) ext = RTA_DATA(a);
  }
  fprintf(stderr, "rtnl_ref: request seq %u failed: %s%s%s\n", ((struct nlmsgerr *)NLMSG_DATA(h))->msg.nlmsg_seq,
          strerror(-err), ext ? " - kernel: " : "", ext ? ext : "");
  exit(1);
}

/*
 * Reads until `want` answers (ACK, error or reply) to the requests of batch `b`
 * have arrived, in order. Replies (non-ACK messages) are decoded into `t`.
 */
static void drain(struct sock *s, struct batch *b, int want, struct tally *t) {
  int got = 0;
  uint32_t expect = b->first_seq;
  while (got < want) {
    ssize_t r = recv(s->fd, rbuf, RECV_BUF, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      die(errno == EAGAIN ? "recv timed out (lost ACK?)" : "recv");
    }
    int len = (int)r;
    for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != expect) {
        fprintf(stderr, "rtnl_ref: sequence %u, expected %u\n", h->nlmsg_seq, expect);
        exit(1);
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        int err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
        if (err) report_nlerr(h, err);
      } else {
        decode(t, h);
      }
      expect++;
      got++;
    }
  }
}

/* Runs a dump request to NLMSG_DONE, decoding every message. */
static void dump(struct sock *s, struct batch *b, struct tally *t) {
  send_batch(s, b);
  for (long rounds = 0; rounds < 100000000L; rounds++) {
    ssize_t r = recv(s->fd, rbuf, RECV_BUF, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      die(errno == EAGAIN ? "recv timed out in dump" : "recv");
    }
    int len = (int)r;
    for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != b->first_seq) fail("foreign sequence number in dump");
      if (h->nlmsg_flags & NLM_F_DUMP_INTR) fail("dump interrupted (NLM_F_DUMP_INTR)");
      if (h->nlmsg_type == NLMSG_DONE) return;
      if (h->nlmsg_type == NLMSG_ERROR) {
        int err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
        if (err) report_nlerr(h, err);
        return;
      }
      decode(t, h);
    }
  }
  fail("dump did not end");
}

/* ------------------------------------------------------------- operations */

struct opts {
  const char *op;
  const char *netns, *warm_netns, *netns2, *warm_netns2;
  int pipe;   /* 0/1: sequential */
  long count, warm_count;
  int index;
  const char *dev;
  uint32_t base; /* host order */
  int plen;
  int repeat; /* dumps: timed runs in this process (the figure is their median) */
};

static struct batch batch;
static double phase_seconds[5]; /* link-churn: create, move, up a, up b, delete */

/*
 * Issues `n` requests built by `build(i)` on `s`: one at a time (pipe <= 1) or
 * `pipe` per sendmsg followed by draining their answers.
 */
typedef void (*build_fn)(struct sock *s, struct batch *b, long i, void *ctx);

static void issue(struct sock *s, long n, int pipe, build_fn build, void *ctx, struct tally *t) {
  int per = pipe > 1 ? pipe : 1;
  for (long i = 0; i < n;) {
    batch.len = 0;
    batch.n = 0;
    long end = i + per < n ? i + per : n;
    for (; i < end; i++) build(s, &batch, i, ctx);
    send_batch(s, &batch);
    drain(s, &batch, batch.n, t);
  }
}

static void build_getlink(struct sock *s, struct batch *b, long i, void *ctx) {
  (void)i;
  struct nlmsghdr *h = msg_begin(b, s, RTM_GETLINK, 0);
  struct ifinfomsg *m = msg_put(h, sizeof *m);
  m->ifi_family = AF_UNSPEC;
  m->ifi_index = *(int *)ctx;
  msg_end(b, h);
}

struct addr_ctx {
  int ifindex;
  uint32_t base;
  int plen;
};

static void build_addr_add(struct sock *s, struct batch *b, long i, void *ctx) {
  struct addr_ctx *c = ctx;
  struct nlmsghdr *h = msg_begin(b, s, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
  struct ifaddrmsg *m = msg_put(h, sizeof *m);
  m->ifa_family = AF_INET;
  m->ifa_prefixlen = (unsigned char)c->plen;
  m->ifa_index = (unsigned)c->ifindex;
  uint32_t a = htonl(c->base + (uint32_t)i);
  attr_put(h, IFA_LOCAL, &a, 4);
  attr_put(h, IFA_ADDRESS, &a, 4);
  msg_end(b, h);
}

static void build_route_add(struct sock *s, struct batch *b, long i, void *ctx) {
  struct addr_ctx *c = ctx;
  struct nlmsghdr *h = msg_begin(b, s, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
  struct rtmsg *m = msg_put(h, sizeof *m);
  m->rtm_family = AF_INET;
  m->rtm_dst_len = (unsigned char)c->plen;
  m->rtm_table = RT_TABLE_MAIN;
  m->rtm_protocol = RTPROT_BOOT;
  m->rtm_scope = RT_SCOPE_UNIVERSE;
  m->rtm_type = RTN_BLACKHOLE;
  uint32_t a = htonl(c->base + (uint32_t)i);
  attr_put(h, RTA_DST, &a, 4);
  msg_end(b, h);
}

/* W4 link churn, one build function per phase; names va<i> / vb<i>. */
struct churn_ctx {
  int phase; /* 0 create, 1 move, 2 up (either end), 3 delete */
  int target_fd;
};

static void build_churn(struct sock *s, struct batch *b, long i, void *ctx) {
  struct churn_ctx *c = ctx;
  char a[IFNAMSIZ], p[IFNAMSIZ];
  snprintf(a, sizeof a, "va%ld", i);
  snprintf(p, sizeof p, "vb%ld", i);
  struct nlmsghdr *h;
  struct ifinfomsg *m;
  switch (c->phase) {
  case 0: {
    h = msg_begin(b, s, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
    m = msg_put(h, sizeof *m);
    attr_str(h, IFLA_IFNAME, a);
    struct rtattr *li = nest_begin(h, IFLA_LINKINFO);
    attr_str(h, IFLA_INFO_KIND, "veth");
    struct rtattr *data = nest_begin(h, IFLA_INFO_DATA);
    struct rtattr *peer = nest_begin(h, VETH_INFO_PEER);
    msg_put(h, sizeof(struct ifinfomsg));
    attr_str(h, IFLA_IFNAME, p);
    nest_end(h, peer);
    nest_end(h, data);
    nest_end(h, li);
    break;
  }
  case 1:
    h = msg_begin(b, s, RTM_NEWLINK, NLM_F_ACK);
    m = msg_put(h, sizeof *m);
    attr_str(h, IFLA_IFNAME, p);
    attr_u32(h, IFLA_NET_NS_FD, (uint32_t)c->target_fd);
    break;
  case 2:
  case 4:
    h = msg_begin(b, s, RTM_NEWLINK, NLM_F_ACK);
    m = msg_put(h, sizeof *m);
    m->ifi_flags = IFF_UP;
    m->ifi_change = IFF_UP;
    attr_str(h, IFLA_IFNAME, c->phase == 2 ? a : p);
    break;
  default:
    h = msg_begin(b, s, RTM_DELLINK, NLM_F_ACK);
    m = msg_put(h, sizeof *m);
    attr_str(h, IFLA_IFNAME, a);
    break;
  }
  m->ifi_family = AF_UNSPEC;
  msg_end(b, h);
}

static int link_index(struct sock *s, const char *name) {
  batch.len = 0;
  batch.n = 0;
  struct nlmsghdr *h = msg_begin(&batch, s, RTM_GETLINK, 0);
  msg_put(h, sizeof(struct ifinfomsg));
  attr_str(h, IFLA_IFNAME, name);
  msg_end(&batch, h);
  send_batch(s, &batch);
  ssize_t r = recv(s->fd, rbuf, RECV_BUF, 0);
  if (r < 0) die("recv");
  struct nlmsghdr *rh = (struct nlmsghdr *)rbuf;
  if (rh->nlmsg_type == NLMSG_ERROR) {
    fprintf(stderr, "rtnl_ref: no link %s in %s\n", name, s->netns ? s->netns : "current namespace");
    exit(1);
  }
  return ((struct ifinfomsg *)NLMSG_DATA(rh))->ifi_index;
}

static void dump_request(struct sock *s, uint16_t type) {
  batch.len = 0;
  batch.n = 0;
  struct nlmsghdr *h = msg_begin(&batch, s, type, NLM_F_DUMP);
  if (type == RTM_GETROUTE) {
    struct rtmsg *m = msg_put(h, sizeof *m);
    m->rtm_family = AF_INET;
  } else {
    struct ifaddrmsg *m = msg_put(h, sizeof *m);
    m->ifa_family = AF_INET;
  }
  msg_end(&batch, h);
}

/* Runs the operation on the namespace(s) `ns`/`ns2` with `n` items; returns seconds. */
static double run_op(const struct opts *o, const char *ns, const char *ns2, long n, struct tally *t) {
  struct sock s;
  sock_open(&s, ns);
  double t0 = 0, t1 = 0;
  if (!strcmp(o->op, "getlink")) {
    int index = o->index;
    t0 = now();
    issue(&s, n, o->pipe, build_getlink, &index, t);
    t1 = now();
  } else if (!strcmp(o->op, "addr-add") || !strcmp(o->op, "route-add")) {
    struct addr_ctx c = {.base = o->base, .plen = o->plen};
    int is_addr = o->op[0] == 'a';
    if (is_addr) c.ifindex = link_index(&s, o->dev);
    t0 = now();
    issue(&s, n, o->pipe, is_addr ? build_addr_add : build_route_add, &c, t);
    t1 = now();
  } else if (!strcmp(o->op, "addr-dump") || !strcmp(o->op, "route-dump")) {
    t0 = now();
    dump_request(&s, o->op[0] == 'a' ? RTM_GETADDR : RTM_GETROUTE);
    dump(&s, &batch, t);
    t1 = now();
  } else if (!strcmp(o->op, "link-churn")) {
    if (!ns2) fail("link-churn needs --netns2 (and --warm-netns2 with --warm-netns)");
    struct sock s2;
    sock_open(&s2, ns2);
    struct churn_ctx c = {.target_fd = open_netns_fd(ns2)};
    t0 = now();
    for (int k = 0; k < 5; k++) {
      static const int order[5] = {0, 1, 2, 4, 3}; /* create, move, up a, up b, delete */
      struct churn_ctx pc = {.phase = order[k], .target_fd = c.target_fd};
      double p0 = now();
      issue(order[k] == 4 ? &s2 : &s, n, o->pipe, build_churn, &pc, t);
      phase_seconds[k] = now() - p0;
    }
    t1 = now();
    close(c.target_fd);
    close(s2.fd);
  } else {
    fprintf(stderr, "rtnl_ref: unknown operation %s\n", o->op);
    exit(2);
  }
  close(s.fd);
  return t1 - t0;
}

/* ---------------------------------------------------- process timing modes */

static int run_children(char **prefix, int nprefix, FILE *lines, int stdout_null, long *ops) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (stdout_null) posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  char *argv[256];
  char line[4096];
  for (int i = 0; i < nprefix && i < 200; i++) argv[i] = prefix[i];
  for (long guard = 0; guard < 10000000L; guard++) {
    int argc = nprefix;
    if (lines) {
      if (!fgets(line, sizeof line, lines)) break;
      for (char *tok = strtok(line, " \t\r\n"); tok && argc < 255; tok = strtok(NULL, " \t\r\n")) argv[argc++] = tok;
      if (argc == nprefix) continue;
    }
    argv[argc] = NULL;
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    if (rc) {
      errno = rc;
      die(argv[0]);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
      if (errno != EINTR) die("waitpid");
    (*ops)++;
    if (!WIFEXITED(st) || WEXITSTATUS(st)) {
      fprintf(stderr, "rtnl_ref: command failed (status %d):", st);
      for (int i = 0; i < argc; i++) fprintf(stderr, " %s", argv[i]);
      fprintf(stderr, "\n");
      return 1;
    }
    if (!lines) break;
  }
  posix_spawn_file_actions_destroy(&fa);
  return 0;
}

static int main_spawn(int argc, char **argv, int each) {
  const char *file = NULL;
  int stdout_null = 0, i = 2;
  for (; i < argc && strcmp(argv[i], "--"); i++) {
    if (!strcmp(argv[i], "--stdout-null")) stdout_null = 1;
    else if (!strcmp(argv[i], "--file") && i + 1 < argc) file = argv[++i];
    else fail("usage: rtnl_ref exec|spawn-each [--file F] [--stdout-null] -- CMD ARGS...");
  }
  if (i + 1 >= argc) fail("missing command after --");
  FILE *lines = NULL;
  if (each) {
    if (!file) fail("spawn-each needs --file");
    lines = fopen(file, "r");
    if (!lines) die(file);
  }
  long ops = 0;
  double t0 = now();
  int rc = run_children(argv + i + 1, argc - i - 1, lines, stdout_null, &ops);
  double t1 = now();
  if (lines) fclose(lines);
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  printf("{\"op\":\"%s\",\"seconds\":%.9f,\"ops\":%ld,\"maxrss_kib\":%ld}\n", each ? "spawn-each" : "exec", t1 - t0, ops,
         ru.ru_maxrss);
  return rc;
}

#define MAX_REPEAT 64

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Median of n values (sorts a copy). */
static double median_of(const double *v, int n) {
  double s[MAX_REPEAT];
  memcpy(s, v, sizeof *v * (size_t)n);
  qsort(s, (size_t)n, sizeof *s, cmp_double);
  return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static uint32_t parse_ipv4(const char *s) {
  struct in_addr a;
  if (inet_pton(AF_INET, s, &a) != 1) fail("bad --base address");
  return ntohl(a.s_addr);
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "exec")) return main_spawn(argc, argv, 0);
  if (argc >= 2 && !strcmp(argv[1], "spawn-each")) return main_spawn(argc, argv, 1);

  struct opts o = {.count = 1, .index = 1, .dev = "br0", .plen = 32, .base = 0x0a100001};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (!strcmp(a, name) && v && (i++, 1))
    if (OPT("--netns")) o.netns = v;
    else if (OPT("--warm-netns")) o.warm_netns = v;
    else if (OPT("--netns2")) o.netns2 = v;
    else if (OPT("--warm-netns2")) o.warm_netns2 = v;
    else if (OPT("--pipe")) o.pipe = atoi(v);
    else if (OPT("--count")) o.count = atol(v);
    else if (OPT("--warm-count")) o.warm_count = atol(v);
    else if (OPT("--index")) o.index = atoi(v);
    else if (OPT("--dev")) o.dev = v;
    else if (OPT("--base")) o.base = parse_ipv4(v);
    else if (OPT("--plen")) o.plen = atoi(v);
    else if (OPT("--repeat")) o.repeat = atoi(v);
    else if (a[0] != '-' && !o.op) o.op = a;
    else {
      fprintf(stderr, "rtnl_ref: bad argument %s\n", a);
      return 2;
    }
#undef OPT
  }
  if (!o.op) fail("missing operation");
  if (o.pipe > MAX_PIPE) fail("--pipe too large");
  if (o.count < 0 || o.count > 100000000L) fail("--count out of range");
  if (o.repeat < 0 || o.repeat > MAX_REPEAT) fail("--repeat out of range");
  if (o.repeat > 1 && strstr(o.op, "-dump") == NULL) fail("--repeat is for dumps");
  rbuf = malloc(RECV_BUF);
  batch.buf = malloc((size_t)MAX_PIPE * REQ_MAX);
  if (!rbuf || !batch.buf) die("malloc");

  struct tally warm = {0}, t = {0};
  if (o.warm_netns && o.warm_count > 0) run_op(&o, o.warm_netns, o.warm_netns2, o.warm_count, &warm);
  double runs[MAX_REPEAT];
  int nrun = o.repeat > 1 ? o.repeat : 1;
  for (int k = 0; k < nrun; k++) {
    struct tally tk = {0};
    runs[k] = run_op(&o, o.netns, o.netns2, o.count, &tk);
    t = tk;
  }
  double secs = median_of(runs, nrun);
  printf("{\"op\":\"%s\",\"mode\":\"%s\",\"pipe\":%d,\"seconds\":%.9f,\"ops\":%ld,\"count\":%llu,\"attrs\":%llu,"
         "\"checksum\":%llu,\"maxrss_kib\":%ld",
         o.op, o.pipe > 1 ? "pipelined" : "sequential", o.pipe > 1 ? o.pipe : 1, secs,
         !strcmp(o.op, "link-churn") ? 5 * o.count : o.count, (unsigned long long)t.count,
         (unsigned long long)t.attrs, (unsigned long long)t.checksum, maxrss_self());
  if (nrun > 1) {
    printf(",\"first\":%.9f,\"runs\":[", runs[0]);
    for (int k = 0; k < nrun; k++) printf("%s%.9f", k ? "," : "", runs[k]);
    printf("]");
  }
  if (!strcmp(o.op, "link-churn"))
    printf(",\"phases\":{\"create\":%.6f,\"move\":%.6f,\"upA\":%.6f,\"upB\":%.6f,\"delete\":%.6f}", phase_seconds[0],
           phase_seconds[1], phase_seconds[2], phase_seconds[3], phase_seconds[4]);
  printf("}\n");
  return 0;
}
