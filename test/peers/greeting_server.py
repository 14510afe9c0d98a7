#!/usr/bin/env python3
"""Lab 1, task 1 (server): greet the client, print its acknowledgement, close."""
import argparse
import socket
import sys

ENDINGS = {'none': '', 'crlf': '\r\n', 'nul': '\0'}


def handle(c, addr, args):
    """Serve one client; return True when the exchange went through."""
    try:
        print('Got connection from', addr, flush=True)
        c.send((args.wording + ENDINGS[args.ending]).encode())
        ack = c.recv(1024)
        if not ack:
            raise RuntimeError('client closed without an acknowledgement')
        print(ack.decode(), flush=True)
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
    p.add_argument('--ending', choices=ENDINGS, default='none', help='appended to the greeting')
    p.add_argument('--wording', default='Thank you for connecting')
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
