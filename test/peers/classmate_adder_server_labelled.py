#!/usr/bin/env python3
"""Lab 2, question 1 server that answers each pair with a label: 'Sum = 13' (--reply sum) or
'answer: 13' (--reply answer). Reads the name with recv(1024), prints 'Connection initiated by <name>',
sends 'ack'; then each recv(1024) is split() on whitespace into two ints ('3 7'; anything else
raises ValueError and the server dies). An empty recv() or 'q' ends the client; one client at a time.
"""
from classmate import serve, server_args


def handle(c):
    name = c.recv(1024).decode()
    print('Connection initiated by', name)
    c.send('ack'.encode())
    while True:
        data = c.recv(1024)
        if not data or data.decode().strip() == 'q':
            break
        a, b = data.decode().split()
        total = int(a) + int(b)
        print(f'{name}: {a} + {b} = {total}')
        c.send((f'Sum = {total}' if args.reply == 'sum' else f'answer: {total}').encode())


p = server_args(__doc__)
p.add_argument('--reply', choices=['sum', 'answer'], default='sum')
args = p.parse_args()
serve(args, handle)
