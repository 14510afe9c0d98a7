#!/usr/bin/env python3
"""Lab 1, task 3 (client): send a set of distinct numbers, check the intersection the server sends back."""
import argparse
import random
import socket
import sys
import time

from listwire import ACK, FORMATS, JUNK, decode, encode, parse_numbers


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--timeout', type=float, default=10)
    p.add_argument('--size', type=int, default=25, help='how many distinct numbers in 1..100')
    p.add_argument('--numbers', help='fixed set instead, e.g. 1,2,3')
    p.add_argument('--expect', help="require exactly this intersection, e.g. 2,3 ('' = empty)")
    p.add_argument('--format', choices=FORMATS, default='str')
    p.add_argument('--protocol', type=int, choices=[2, 3, 4, 5], default=4, help='pickle protocol')
    p.add_argument('--expect-greeting', action='store_true', help='read a greeting and send the ack first')
    p.add_argument('--ack', default=ACK)
    p.add_argument('--glue', action='store_true', help='send the ack and the set back to back (no pause)')
    p.add_argument('--newline', action='store_true', help=r'append \n to everything sent')
    args = p.parse_args()

    if args.numbers is not None:
        numbers = parse_numbers(args.numbers)
    else:
        numbers = random.sample(range(1, 101), args.size)
    end = b'\n' if args.newline else b''

    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(args.timeout)
    s.connect((args.host, args.port))
    if args.expect_greeting:
        greeting = s.recv(1024)
        if not greeting:
            raise RuntimeError('no greeting received')
        print('Server says:', greeting.decode().strip(JUNK), flush=True)
        s.send(args.ack.encode() + end)
        if not args.glue:
            time.sleep(0.3)  # so a naive server's recv(1024) gets the ack alone
    print('Client set:', numbers, flush=True)
    s.send(encode(numbers, args.format, args.protocol) + end)
    reply = s.recv(1024)
    s.close()
    if not reply:
        raise RuntimeError('server closed without answering')
    common, fmt, _ = decode(reply)
    print('Intersection:', common, flush=True)

    if (fmt == 'pickle') != (args.format == 'pickle'):
        raise RuntimeError(f'sent {args.format}, got the answer as {fmt}: {reply!r}')
    strangers = [n for n in common if n not in numbers]
    if strangers:
        raise RuntimeError(f'not in the client set: {strangers}')
    if any(a >= b for a, b in zip(common, common[1:])):
        raise RuntimeError('the intersection is not ascending without duplicates')
    if args.expect is not None and common != parse_numbers(args.expect):
        raise RuntimeError(f'expected {parse_numbers(args.expect)}')


if __name__ == '__main__':
    try:
        main()
    except Exception as e:
        print('FAIL:', e, flush=True)
        sys.exit(1)
