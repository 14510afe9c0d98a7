// Load generator for the adder, in C with epoll so that the generator is never the bottleneck: the
// machine has 2 cores, one for the server under test and one for this process.
//
// Each client: connect, send its name (no terminator, like a student's client), wait for `ack`, then
// request/answer in lock-step ("a b" -> a+b), checking every sum. Prints one JSON line.
//
//   adder-load rate <port> <clients> <warmup_ms> <duration_ms>
//   adder-load idle <port> <clients> <hold_ms>
//   adder-load alternate <clients> <warmup_ms> <slice_ms> <slices> <port>...
//
// `alternate` keeps <clients> connections open to every port at once and lets one server's clients
// run at a time, in slices: slice k goes to the servers in order, reversed every other cycle
// (A B, B A, A B ...), so two servers are measured a fraction of a second apart under the same machine
// conditions. Between slices the running server's clients finish their request in flight and stop;
// a slice counts the answers that arrive within it. Prints one JSON line with each server's
// requests/s per slice and its latency percentiles over all its slices.

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum state { CONNECTING, AWAIT_ACK, READY, AWAIT_ANSWER, CLOSED };

struct conn {
  int fd;
  int server; /* index into ports[] */
  enum state st;
  int a, b;
  uint64_t sent_at;
};

static struct conn *conns;
static int nconns, port;
#define MAX_PORTS 4
static int ports[MAX_PORTS], nports = 1;
static int active = -1; /* alternate: the server whose clients run, -1 = all */
static long in_flight[MAX_PORTS], errors_by[MAX_PORTS];
static int epfd;
static long handshakes, errors, wrong;
static long answered;
static int measuring, running;
#define HIST_US 2000000 /* 1 us bins up to 2 s, then one overflow bin per ms */
static uint32_t *hist_us;
static uint32_t hist_ms[600000];

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static unsigned rng_state = 12345;
static int rand10(void) {
  rng_state = rng_state * 1103515245u + 12345u;
  return 1 + (int)((rng_state >> 16) % 10);
}

static void fail_conn(struct conn *c) {
  if (c->st != CLOSED) {
    errors++;
    errors_by[c->server]++;
    c->st = CLOSED;
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
  }
}

static void send_request(struct conn *c) {
  char buf[16];
  c->a = rand10();
  c->b = rand10();
  int n = snprintf(buf, sizeof buf, "%d %d", c->a, c->b);
  c->st = AWAIT_ANSWER;
  in_flight[c->server]++;
  c->sent_at = now_ns();
  if (write(c->fd, buf, (size_t)n) != n) fail_conn(c);
}

static void record(uint64_t ns) {
  uint64_t us = ns / 1000;
  if (us < HIST_US) hist_us[us]++;
  else if (us / 1000 < 600000) hist_ms[us / 1000]++;
}

static void clear_hist(void) {
  memset(hist_us, 0, HIST_US * sizeof *hist_us);
  memset(hist_ms, 0, sizeof hist_ms);
}

static double percentile(double p) {
  uint64_t total = 0, seen = 0;
  for (long i = 0; i < HIST_US; i++) total += hist_us[i];
  for (long i = 0; i < 600000; i++) total += hist_ms[i];
  if (!total) return 0;
  uint64_t want = (uint64_t)(p / 100.0 * (double)total);
  for (long i = 0; i < HIST_US; i++) {
    seen += hist_us[i];
    if (seen > want) return (double)i / 1000.0;
  }
  for (long i = 0; i < 600000; i++) {
    seen += hist_ms[i];
    if (seen > want) return (double)i;
  }
  return 0;
}

static int open_conn(int i) {
  struct conn *c = &conns[i];
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (c->fd < 0) return -1;
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)ports[c->server])};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  c->st = CONNECTING;
  if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS) return -1;
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.u32 = (uint32_t)i};
  return epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
}

static void on_event(uint32_t i, uint32_t events) {
  struct conn *c = &conns[i];
  if (c->st == CLOSED) return;
  if (c->st == CONNECTING && (events & EPOLLOUT)) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) return fail_conn(c);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = i};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
    char name[32];
    int n = snprintf(name, sizeof name, "bench-%u", i);
    if (write(c->fd, name, (size_t)n) != n) return fail_conn(c);
    c->st = AWAIT_ACK;
    return;
  }
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    char buf[256];
    ssize_t n = read(c->fd, buf, sizeof buf - 1);
    if (n <= 0) {
      if (n < 0 && errno == EAGAIN) return;
      if (running || c->st != READY) return fail_conn(c);
      c->st = CLOSED;
      close(c->fd);
      return;
    }
    buf[n] = 0;
    if (c->st == AWAIT_ACK) {
      if (strncmp(buf, "ack", 3) != 0) return fail_conn(c);
      c->st = READY;
      handshakes++;
      return;
    }
    if (c->st == AWAIT_ANSWER) {
      uint64_t t = now_ns();
      in_flight[c->server]--;
      if (measuring) {
        answered++;
        record(t - c->sent_at);
        if (atoi(buf) != c->a + c->b) wrong++;
      }
      if (running && (active < 0 || active == c->server)) send_request(c);
      else c->st = READY;
    }
  }
}

static void pump(int timeout_ms) {
  struct epoll_event evs[1024];
  int n = epoll_wait(epfd, evs, 1024, timeout_ms);
  for (int k = 0; k < n; k++) on_event(evs[k].data.u32, evs[k].events);
}

static long count(enum state s) {
  long k = 0;
  for (int i = 0; i < nconns; i++) k += conns[i].st == s;
  return k;
}

/** Start server k's idle clients, run them for ms, stop them and wait for their answers in flight. */
static long run_slice(int k, long ms, int measure) {
  active = k;
  running = 1;
  for (int i = 0; i < nconns; i++)
    if (conns[i].server == k && conns[i].st == READY) send_request(&conns[i]);
  answered = 0;
  measuring = measure;
  uint64_t end = now_ns() + (uint64_t)ms * 1000000ull;
  while (now_ns() < end) pump(5);
  measuring = 0;
  running = 0;
  long got = answered;
  uint64_t drain_end = now_ns() + 10ull * 1000000000ull;
  while (in_flight[k] > 0 && now_ns() < drain_end) pump(5);
  if (in_flight[k] > 0) {
    errors += in_flight[k];
    errors_by[k] += in_flight[k];
  }
  return got;
}

static int run_alternate(long warmup_ms, long slice_ms, int slices, double connect_ms) {
  for (int k = 0; k < nports; k++) run_slice(k, warmup_ms, 0);
  static long got[MAX_PORTS][4096];
  static double p50[MAX_PORTS], p99[MAX_PORTS];
  static long wrong_by[MAX_PORTS];
  if (slices > 4096) slices = 4096;
  /* Latency: one histogram per server, filled over its slices (the histograms are big; keep one and replay). */
  static uint32_t *hists[MAX_PORTS];
  for (int k = 0; k < nports; k++) hists[k] = calloc(HIST_US, sizeof(uint32_t));
  static uint32_t (*hists_ms)[600000];
  hists_ms = calloc(MAX_PORTS, sizeof *hists_ms);
  int n = 0;
  for (int cycle = 0; n < slices * nports; cycle++) {
    for (int j = 0; j < nports; j++, n++) {
      int k = cycle % 2 == 0 ? j : nports - 1 - j;
      clear_hist();
      long before_wrong = wrong;
      got[k][n / nports] = run_slice(k, slice_ms, 1);
      wrong_by[k] += wrong - before_wrong;
      for (long i = 0; i < HIST_US; i++) hists[k][i] += hist_us[i];
      for (long i = 0; i < 600000; i++) hists_ms[k][i] += hist_ms[i];
    }
  }
  for (int k = 0; k < nports; k++) {
    memcpy(hist_us, hists[k], HIST_US * sizeof *hist_us);
    memcpy(hist_ms, hists_ms[k], sizeof hist_ms);
    p50[k] = percentile(50);
    p99[k] = percentile(99);
  }
  printf("{\"clients\":%ld,\"sliceMs\":%ld,\"connectMs\":%.0f,\"servers\":[", handshakes / nports, slice_ms, connect_ms);
  for (int k = 0; k < nports; k++) {
    printf("%s{\"port\":%d,\"p50\":%.3f,\"p99\":%.3f,\"wrong\":%ld,\"errors\":%ld,\"rps\":[", k ? "," : "", ports[k], p50[k], p99[k], wrong_by[k], errors_by[k]);
    for (int i = 0; i < slices; i++) printf("%s%.0f", i ? "," : "", (double)got[k][i] * 1000.0 / (double)slice_ms);
    printf("]}");
  }
  printf("]}\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: adder-load rate <port> <clients> <warmup_ms> <duration_ms> | idle <port> <clients> <hold_ms>\n");
    return 2;
  }
  int idle = strcmp(argv[1], "idle") == 0;
  int alternate = strcmp(argv[1], "alternate") == 0;
  int per_server;
  if (alternate) {
    if (argc < 7 || argc - 6 > MAX_PORTS) {
      fprintf(stderr, "usage: adder-load alternate <clients> <warmup_ms> <slice_ms> <slices> <port>... (at most %d ports)\n", MAX_PORTS);
      return 2;
    }
    per_server = atoi(argv[2]);
    nports = argc - 6;
    for (int k = 0; k < nports; k++) ports[k] = atoi(argv[6 + k]);
  } else {
    per_server = atoi(argv[3]);
    ports[0] = atoi(argv[2]);
  }
  port = ports[0];
  nconns = per_server * nports;
  conns = calloc((size_t)nconns, sizeof *conns);
  for (int i = 0; i < nconns; i++) conns[i].server = i % nports;
  hist_us = calloc(HIST_US, sizeof *hist_us);
  epfd = epoll_create1(0);
  uint64_t t0 = now_ns();

  // Connect in waves of at most 200 pending handshakes, so the server's backlog never overflows.
  int next = 0;
  uint64_t deadline = now_ns() + 60ull * 1000000000ull;
  while ((handshakes + errors) < nconns && now_ns() < deadline) {
    long pending = next - handshakes - errors;
    while (next < nconns && pending < 200) {
      if (open_conn(next) < 0) {
        conns[next].st = CLOSED;
        errors++;
        errors_by[conns[next].server]++;
      }
      next++;
      pending++;
    }
    pump(10);
  }
  double connect_ms = (double)(now_ns() - t0) / 1e6;

  if (idle) {
    uint64_t end = now_ns() + (uint64_t)atol(argv[4]) * 1000000ull;
    running = 1; /* a close while holding counts as an error */
    while (now_ns() < end) pump(50);
    printf("{\"held\":%ld,\"handshakes\":%ld,\"errors\":%ld,\"connectMs\":%.0f}\n", count(READY), handshakes, errors, connect_ms);
    return 0;
  }

  if (alternate) return run_alternate(atol(argv[3]), atol(argv[4]), atoi(argv[5]), connect_ms);

  long warmup = atol(argv[4]), duration = atol(argv[5]);
  running = 1;
  for (int i = 0; i < nconns; i++)
    if (conns[i].st == READY) send_request(&conns[i]);
  uint64_t warm_end = now_ns() + (uint64_t)warmup * 1000000ull;
  while (now_ns() < warm_end) pump(10);
  measuring = 1;
  uint64_t start = now_ns();
  uint64_t end = start + (uint64_t)duration * 1000000ull;
  while (now_ns() < end) pump(10);
  measuring = 0;
  double seconds = (double)(now_ns() - start) / 1e9;
  running = 0;
  printf("{\"clients\":%ld,\"rps\":%.0f,\"p50\":%.3f,\"p99\":%.3f,\"wrong\":%ld,\"errors\":%ld}\n", handshakes, (double)answered / seconds,
         percentile(50), percentile(99), wrong, errors);
  return 0;
}
