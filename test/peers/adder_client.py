#!/usr/bin/env python3
"""Lab 2, questions 1 and 2 (client): send a name, wait for 'ack', then 'a' asks for a sum, 'q' quits."""
import argparse
import random
import socket
import sys

JUNK = ' \t\r\n\0'  # endings a naive peer may leave on a message


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--timeout', type=float, default=10)
    p.add_argument('--name', help='default: student-<4 random digits>')
    p.add_argument('--script', help='commands instead of stdin, e.g. a,a,x,q')
    p.add_argument('--sep', choices=[' ', ',', '+'], default=' ', help='between the two numbers')
    p.add_argument('--newline', action='store_true', help=r'append \n to everything sent')
    p.add_argument('--crlf', action='store_true', help=r'append \r\n to everything sent')
    args = p.parse_args()

    name = args.name or 'student-%d' % random.randint(1000, 9999)
    end = '\r\n' if args.crlf else '\n' if args.newline else ''
    commands = args.script.split(',') if args.script is not None else None

    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(args.timeout)
    s.connect((args.host, args.port))
    s.send((name + end).encode())
    ack = s.recv(1024)
    if ack.decode().strip(JUNK) != 'ack':
        raise RuntimeError(f"expected 'ack', got {ack!r}")
    print('Connected as', name, flush=True)

    while True:
        if commands is None:
            try:
                command = input('Enter command: ').strip()
            except EOFError:
                command = 'q'
        else:
            command = commands.pop(0).strip() if commands else 'q'
        if command == 'a':
            a, b = random.randint(1, 10), random.randint(1, 10)
            print('Numbers:', a, b, flush=True)
            s.send((f'{a}{args.sep}{b}' + end).encode())
            answer = s.recv(1024).decode().strip(JUNK)
            print('answer received from Server =', answer, flush=True)
            if answer != str(a + b):
                raise RuntimeError(f'expected {a + b}, got {answer!r}')
        elif command == 'q':
            s.close()
            return
        else:
            print('Invalid command', flush=True)


if __name__ == '__main__':
    try:
        main()
    except Exception as e:
        print('FAIL:', e, flush=True)
        sys.exit(1)
