// Load generator for the adder, in C with epoll so that the generator is never the bottleneck: the
// machine has 2 cores, one for the server under test and one for this process.
//
// Each client: connect, send its name (no terminator, like a student's client), wait for `ack`, then
// request/answer in lock-step ("a b" -> a+b), checking every sum. Prints one JSON line.
//
//   adder-load rate <port> <clients> <warmup_ms> <duration_ms>
//   adder-load idle <port> <clients> <hold_ms>

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
  enum state st;
  int a, b;
  uint64_t sent_at;
};

static struct conn *conns;
static int nconns, port;
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
  c->sent_at = now_ns();
  if (write(c->fd, buf, (size_t)n) != n) fail_conn(c);
}

static void record(uint64_t ns) {
  uint64_t us = ns / 1000;
  if (us < HIST_US) hist_us[us]++;
  else if (us / 1000 < 600000) hist_ms[us / 1000]++;
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
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
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
      if (measuring) {
        answered++;
        record(t - c->sent_at);
        if (atoi(buf) != c->a + c->b) wrong++;
      }
      if (running) send_request(c);
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

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: adder-load rate <port> <clients> <warmup_ms> <duration_ms> | idle <port> <clients> <hold_ms>\n");
    return 2;
  }
  int idle = strcmp(argv[1], "idle") == 0;
  port = atoi(argv[2]);
  nconns = atoi(argv[3]);
  conns = calloc((size_t)nconns, sizeof *conns);
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
