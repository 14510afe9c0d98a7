#!/usr/bin/env python3
"""The "bad link" between the two-host bench's student and neighbour namespaces.

This machine's kernel has no sch_netem, so delay, jitter, loss, duplication and reordering are done here,
in user space: the forwarder runs in the middle namespace, reads every frame that arrives on one of its two
veth ends with an AF_PACKET raw socket and writes it out of the other, after the impairments of that
direction. ARP and everything else that is not IPv4/IPv6 passes at once and unimpaired, so the link always
comes up (a lost ARP reply would look like a dead host, not like a bad link).

Why Python and not C: the bench carries lab traffic (names, sums, lists of a few KB), so a few thousand
frames a second is plenty; the Python 3 standard library has AF_PACKET, a seeded RNG and a heap, needs no
compile step at test time, and stays readable to whoever debugs a failing condition. Rate limits and the MTU
are the kernel's own (tc tbf and `ip link set mtu` on the end veths), not done here.

Usage (as root):
  forwarder.py run A B --seed N [--netns NS] [--offload NS:IFACE]...
      Bridge interfaces A <-> B (inside namespace NS when given). Conditions arrive as JSON lines on stdin:
        {"ab": {...}, "ba": {...}}   (ab = frames arriving on A, sent out of B)
      with keys delayMs, jitterMs, lossPct, dupPct, reorderPct, reorderMs. Each line is answered with one
      JSON line on stdout ({"ok": true} or {"ok": false, "error": ...}); {"stats": true} answers the counters.
      Exits when stdin closes, so a crashed test never leaves it running.
  forwarder.py offload [NS:]IFACE...
      Only switch off checksum offload, TSO, GSO and GRO (see offload_off).
"""
import argparse
import ctypes
import fcntl
import heapq
import json
import os
import random
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4  # our own transmissions, seen again by the socket bound to that interface
IP_TYPES = (0x0800, 0x86DD)
MAX_QUEUED = 20000  # frames waiting for their delay; beyond it a frame is dropped (counted), not queued
KEYS = ('delayMs', 'jitterMs', 'lossPct', 'dupPct', 'reorderPct', 'reorderMs')

# ethtool ioctls (linux/ethtool.h). With offloads on, a veth hands the packet socket 64 KB TCP super-frames
# with half-computed checksums; forwarded as they are, the far end drops them. Off, every frame is a real
# wire frame with its checksum, exactly what a classroom link carries.
SIOCETHTOOL = 0x8946
ETHTOOL_SET = {'tx-checksum': 0x17, 'scatter-gather': 0x19, 'tso': 0x1F, 'gso': 0x24, 'gro': 0x2C}


def offload_off(ifname):
    value = ctypes.create_string_buffer(8)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for cmd in ETHTOOL_SET.values():
            struct.pack_into('II', value, 0, cmd, 0)
            ifreq = struct.pack('16sP', ifname.encode(), ctypes.addressof(value)).ljust(40, b'\0')
            fcntl.ioctl(s.fileno(), SIOCETHTOOL, ifreq)


CLONE_NEWNET = 0x40000000


def enter_netns(name):
    """Move this process into a named namespace (as `ip netns exec` does): a socket opened afterwards, and
    an ioctl on it, belong to that namespace. One process for all three namespaces saves two Python starts."""
    fd = os.open(f'/run/netns/{name}', os.O_RDONLY)
    try:
        if ctypes.CDLL(None, use_errno=True).setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f'setns {name}: {os.strerror(ctypes.get_errno())}')
    finally:
        os.close(fd)


def offload_off_all(targets):
    """Each target is IFACE (this namespace) or NS:IFACE."""
    for target in targets:
        ns, _, ifname = target.rpartition(':')
        if ns:
            enter_netns(ns)
        offload_off(ifname)


def check_condition(c):
    """One direction's impairments, validated: unknown keys and impossible values are an error."""
    if not isinstance(c, dict):
        raise ValueError('a direction must be an object')
    for k, v in c.items():
        if k not in KEYS:
            raise ValueError(f'unknown impairment {k!r}')
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0:
            raise ValueError(f'{k} must be a number >= 0')
        if k.endswith('Pct') and v > 100:
            raise ValueError(f'{k} must be at most 100')
    return {k: float(c.get(k, 0)) for k in KEYS}


class Direction:
    """Frames from one interface to the other: its impairments, its own RNG stream and its counters."""

    def __init__(self, name, out, seed):
        self.name, self.out = name, out
        self.rng = random.Random(seed)
        self.cond = check_condition({})
        self.stats = {'frames': 0, 'passed': 0, 'lost': 0, 'duplicated': 0, 'reordered': 0, 'overflow': 0, 'other': 0}

    def delay(self):
        c = self.cond
        d = c['delayMs']
        if c['jitterMs']:
            d += self.rng.uniform(-c['jitterMs'], c['jitterMs'])  # independent per frame: jitter reorders, as on Wi-Fi
        if c['reorderPct'] and self.rng.random() * 100 < c['reorderPct']:
            d += c['reorderMs'] or 20  # held back, so the frames behind it overtake it
            self.stats['reordered'] += 1
        return max(0.0, d) / 1000

    def schedule(self, frame, now, queue, seq):
        """The copies of this frame that go out, as (due, seq, direction, frame) entries; [] when lost."""
        self.stats['frames'] += 1
        ethertype = struct.unpack_from('!H', frame, 12)[0] if len(frame) >= 14 else 0
        if ethertype not in IP_TYPES:
            self.stats['other'] += 1
            return [(now, seq, self, frame)]
        c = self.cond
        if c['lossPct'] and self.rng.random() * 100 < c['lossPct']:
            self.stats['lost'] += 1
            return []
        copies = 1
        if c['dupPct'] and self.rng.random() * 100 < c['dupPct']:
            copies = 2
            self.stats['duplicated'] += 1
        if len(queue) + copies > MAX_QUEUED:
            self.stats['overflow'] += 1
            return []
        self.stats['passed'] += 1
        return [(now + self.delay(), seq + i, self, frame) for i in range(copies)]


def run(a, b, seed):
    for ifname in (a, b):
        offload_off(ifname)
    socks = {}
    for ifname in (a, b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((ifname, 0))
        s.setblocking(False)
        socks[ifname] = s
    dirs = {a: Direction('ab', socks[b], seed), b: Direction('ba', socks[a], seed + 1)}
    by_name = {'ab': dirs[a], 'ba': dirs[b]}
    queue, seq = [], 0
    control = sys.stdin.fileno()
    pending = b''
    print(json.dumps({'ready': True, 'seed': seed}), flush=True)
    print(f'forwarder: {a} <-> {b}, seed {seed}', file=sys.stderr, flush=True)

    def answer(line):
        try:
            msg = json.loads(line)
            if msg.get('stats'):
                return {'ok': True, 'stats': {d.name: d.stats for d in dirs.values()}, 'queued': len(queue)}
            new = {k: check_condition(msg.get(k, {})) for k in ('ab', 'ba')}
            for k, c in new.items():
                by_name[k].cond = c
            return {'ok': True}
        except (ValueError, AttributeError) as e:
            return {'ok': False, 'error': str(e)}

    while True:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, d, frame = heapq.heappop(queue)
            try:
                d.out.send(frame)
            except OSError:
                d.stats['overflow'] += 1  # the far veth is down or its queue is full: a lost frame
        timeout = max(0.0, queue[0][0] - now) if queue else None
        ready, _, _ = select.select([control, *socks.values()], [], [], timeout)
        for r in ready:
            if r is control:
                chunk = os.read(control, 65536)
                if not chunk:  # stdin closed: the test that started us is gone
                    return
                pending += chunk
                while b'\n' in pending:
                    line, pending = pending.split(b'\n', 1)
                    if line.strip():
                        print(json.dumps(answer(line)), flush=True)
                continue
            ifname = next(k for k, s in socks.items() if s is r)
            for _ in range(64):  # a bounded batch per socket, so the other direction is never starved
                try:
                    frame, addr = r.recvfrom(65536)
                except OSError:  # nothing more now (EAGAIN), or the interface went down for a moment
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue
                now = time.monotonic()
                for entry in dirs[ifname].schedule(frame, now, queue, seq):
                    heapq.heappush(queue, entry)
                seq += 2


def main(argv):
    p = argparse.ArgumentParser(prog='forwarder.py', description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run')
    r.add_argument('a')
    r.add_argument('b')
    r.add_argument('--seed', type=int, required=True)
    r.add_argument('--netns', help='bridge inside this namespace')
    r.add_argument('--offload', action='append', default=[], metavar='NS:IFACE', help='also switch off offloads here')
    o = sub.add_parser('offload')
    o.add_argument('targets', nargs='+', metavar='[NS:]IFACE')
    args = p.parse_args(argv)
    if args.cmd == 'offload':
        offload_off_all(args.targets)
        return 0
    offload_off_all(args.offload)
    if args.netns:
        enter_netns(args.netns)
    run(args.a, args.b, args.seed)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
