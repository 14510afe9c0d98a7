#!/usr/bin/env python3
"""Lab 2, question 1 (server): one client at a time; greet it with 'ack', then answer each pair with its sum."""
import argparse
import re
import socket
import sys


def say(*parts):
    print(*parts, flush=True)


def add_arguments(p):
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=0, help='0 = any free port')
    p.add_argument('--once', action='store_true', help='serve one connection, then exit')
    p.add_argument('--timeout', type=float, default=10)
    p.add_argument('--sep', help='split pairs on exactly this (default: any of space, comma, plus)')
    p.add_argument('--newline', action='store_true', help=r'append \n to everything sent')
    p.add_argument('--quiet', action='store_true', help='print only the listening line and FAIL lines')


def serve_client(c, addr, args, say=say):
    """Serve one client until it closes; return True when everything went through."""
    end = '\n' if args.newline else ''
    log = (lambda *parts: None) if args.quiet else say
    try:
        name = c.recv(1024).decode().strip()
        if not name:
            raise RuntimeError('client closed without sending its name')
        log('Connection initiated by', name)
        c.send(('ack' + end).encode())
        while True:
            data = c.recv(1024)
            if not data:
                return True
            text = data.decode().strip()
            parts = text.split(args.sep) if args.sep else re.split(r'[\s,+]+', text)
            try:
                a, b = [int(x) for x in parts]
            except ValueError:
                raise RuntimeError(f'expected two numbers, got {text!r}')
            log(f'{name}: {a} + {b} = {a + b}')
            c.send((str(a + b) + end).encode())
    except Exception as e:
        say('FAIL:', e)
        return False
    finally:
        c.close()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    add_arguments(p)
    args = p.parse_args()

    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(args.timeout)
    s.bind((args.host, args.port))
    s.listen(5)
    say('listening on', s.getsockname()[1])
    while True:
        try:
            c, addr = s.accept()
        except socket.timeout:
            if args.once:
                raise RuntimeError('nobody connected')
            continue
        c.settimeout(args.timeout)
        ok = serve_client(c, addr, args)
        if args.once:
            sys.exit(0 if ok else 1)


if __name__ == '__main__':
    try:
        main()
    except Exception as e:
        print('FAIL:', e, flush=True)
        sys.exit(1)
