#!/usr/bin/env python3
"""Lab 1, task 1 server by a classmate used to C strings: the greeting ends with '\\0'
('Thank you for connecting\\0') and the acknowledgement is read up to its '\\0'. An acknowledgement
with no '\\0' (the client closed first) leaves no terminator to find: bytes.index raises ValueError
('subsection not found'), a traceback, exit 1. Prints the acknowledgement without its '\\0'.
"""
from classmate import GREETING, serve, server_args


def handle(c):
    c.send((GREETING + '\0').encode())
    buf = b''
    while b'\0' not in buf:
        chunk = c.recv(1024)
        if not chunk:
            break
        buf += chunk
    ack = buf[:buf.index(b'\0')].decode()
    print(ack)


args = server_args(__doc__).parse_args()
serve(args, handle)
