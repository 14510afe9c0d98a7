#!/usr/bin/env python3
"""Lab 2, question 1 server that speaks in lines: c.makefile().readline() for the name (it waits
for the '\\n'; a name with no newline completes only when the client closes), prints
'Connection initiated by <name>', sends 'ack\\n', then answers each line '3 7' with '10\\n'
(split() on whitespace; anything else raises ValueError and the server dies). The client closing
(an empty readline()) or 'q' ends it; one client at a time.
"""
from classmate import serve, server_args


def handle(c):
    f = c.makefile('r')
    name = f.readline().strip()
    print('Connection initiated by', name)
    c.send('ack\n'.encode())
    while True:
        line = f.readline()
        if not line or line.strip() == 'q':
            break
        a, b = line.split()
        total = int(a) + int(b)
        print(f'{name}: {a} + {b} = {total}')
        c.send(f'{total}\n'.encode())


args = server_args(__doc__).parse_args()
serve(args, handle)
