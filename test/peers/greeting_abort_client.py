#!/usr/bin/env python3
"""Lab 1, task 1 (client), aborting: print the server's greeting, then close with SO_LINGER 0, which
sends RST instead of FIN (the reset a capture should mark)."""
import argparse
import socket
import struct
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--timeout', type=float, default=10)
    args = p.parse_args()
    try:
        s = socket.create_connection((args.host, args.port), timeout=args.timeout)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        print(s.recv(1024).decode(errors='replace').rstrip(' \t\r\n\0'), flush=True)
        s.close()
    except OSError as e:
        print(f'FAIL: {e}', flush=True)
        sys.exit(1)


if __name__ == '__main__':
    main()
