#!/usr/bin/env python3
"""Lab 1, task 1 (client): print the server's greeting, answer it, close."""
import argparse
import socket
import sys

JUNK = ' \t\r\n\0'  # endings a naive peer may leave on a message


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--timeout', type=float, default=10)
    p.add_argument('--bind-port', type=int, help="bind the client's own port first (the handout uses 32451)")
    p.add_argument('--reuse', action='store_true', help='set SO_REUSEADDR before --bind-port')
    p.add_argument('--ack', default='It was nice talking to you')
    p.add_argument('--expect', help='also require this greeting text (endings ignored)')
    args = p.parse_args()

    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(args.timeout)
    if args.bind_port is not None:
        if args.reuse:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(('', args.bind_port))
    s.connect((args.host, args.port))
    greeting = s.recv(1024)
    if not greeting:
        raise RuntimeError('no greeting received')
    print(greeting.decode(), flush=True)
    s.send(args.ack.encode())
    s.close()
    if args.expect is not None and greeting.decode().strip(JUNK) != args.expect:
        raise RuntimeError(f'expected greeting {args.expect!r}, got {greeting!r}')


if __name__ == '__main__':
    try:
        main()
    except Exception as e:
        print('FAIL:', e, flush=True)
        sys.exit(1)
