#!/usr/bin/env python3
"""Lab 1, task 2 (server): receive a list, remove the duplicates, send it back in the same format."""
import argparse
import socket
import sys

from listwire import GREETING, JUNK, decode, encode, split_ack


def dedup(numbers, order):
    if order == 'set':
        return list(set(numbers))
    result = []  # keep the first occurrence of each value, in order
    for n in numbers:
        if n not in result:
            result.append(n)
    return result


def handle(c, addr, args):
    """Serve one client; return True when the exchange went through."""
    end = b'\n' if args.newline else b''
    try:
        print('Got connection from', addr, flush=True)
        data = b''
        if args.greet:
            c.send(GREETING.encode() + end)
            ack, data = split_ack(c.recv(1024))  # the list may have come glued to the ack
            if not ack and not data:
                raise RuntimeError('client closed without an acknowledgement')
            if ack:
                print('Client says:', ack.decode().strip(JUNK), flush=True)
        if not data:
            data = c.recv(1024)
        if not data:
            raise RuntimeError('client closed without sending a list')
        numbers, fmt, protocol = decode(data)
        result = dedup(numbers, args.order)
        print('Received list:', numbers, flush=True)
        print('Sending list:', result, flush=True)
        c.send(encode(result, fmt, protocol) + end)
        return True
    except Exception as e:
        print('FAIL:', e, flush=True)
        return False
    finally:
        c.close()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=0, help='0 = any free port')
    p.add_argument('--once', action='store_true', help='serve one connection, then exit')
    p.add_argument('--timeout', type=float, default=10)
    p.add_argument('--order', choices=['first', 'set'], default='first',
                   help='first = keep first occurrences in order; set = list(set(x))')
    p.add_argument('--greet', action='store_true', help='send the greeting and read the ack before the list')
    p.add_argument('--newline', action='store_true', help=r'append \n to everything sent')
    args = p.parse_args()

    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(args.timeout)
    s.bind((args.host, args.port))
    s.listen(5)
    print('listening on', s.getsockname()[1], flush=True)
    while True:
        try:
            c, addr = s.accept()
        except socket.timeout:
            if args.once:
                raise RuntimeError('nobody connected')
            continue
        c.settimeout(args.timeout)
        ok = handle(c, addr, args)
        if args.once:
            sys.exit(0 if ok else 1)


if __name__ == '__main__':
    try:
        main()
    except Exception as e:
        print('FAIL:', e, flush=True)
        sys.exit(1)
