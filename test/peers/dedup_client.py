#!/usr/bin/env python3
"""Lab 1, task 2 (client): send a list with duplicates, check the server sent it back without them."""
import argparse
import random
import socket
import sys
import time

from listwire import ACK, FORMATS, JUNK, decode, encode, parse_numbers


def first_occurrences(numbers):
    result = []
    for n in numbers:
        if n not in result:
            result.append(n)
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--timeout', type=float, default=10)
    p.add_argument('--numbers', help='fixed list, e.g. 1,5,5,9 (default: 25..100 random numbers in 1..100)')
    p.add_argument('--format', choices=FORMATS, default='str')
    p.add_argument('--protocol', type=int, choices=[2, 3, 4, 5], default=4, help='pickle protocol')
    p.add_argument('--expect-greeting', action='store_true', help='read a greeting and send the ack first')
    p.add_argument('--ack', default=ACK)
    p.add_argument('--glue', action='store_true', help='send the ack and the list back to back (no pause)')
    p.add_argument('--newline', action='store_true', help=r'append \n to everything sent')
    p.add_argument('--check-order', action='store_true', help='also require first-occurrence order')
    args = p.parse_args()

    if args.numbers is not None:
        numbers = parse_numbers(args.numbers)
    else:
        numbers = [random.randint(1, 100) for _ in range(random.randint(25, 100))]
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
    print('Original list:', numbers, flush=True)
    s.send(encode(numbers, args.format, args.protocol) + end)
    reply = s.recv(1024)
    s.close()
    if not reply:
        raise RuntimeError('server closed without answering')
    final, fmt, _ = decode(reply)
    duplicates = [n for n in first_occurrences(numbers) if numbers.count(n) > 1]
    print('Final list:', final, flush=True)
    print('Duplicates:', duplicates, flush=True)

    if (fmt == 'pickle') != (args.format == 'pickle'):
        raise RuntimeError(f'sent {args.format}, got the answer as {fmt}: {reply!r}')
    if len(final) != len(set(final)):
        raise RuntimeError('the answer still has duplicates')
    if set(final) != set(numbers):
        raise RuntimeError('the answer does not hold the same values')
    if args.check_order and final != first_occurrences(numbers):
        raise RuntimeError('the answer is not in first-occurrence order')


if __name__ == '__main__':
    try:
        main()
    except Exception as e:
        print('FAIL:', e, flush=True)
        sys.exit(1)
