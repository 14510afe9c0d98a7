#!/usr/bin/env python3
"""Lab 1, task 3 server the way classmates write it: draw its own 25 numbers, one recv(1024),
ast.literal_eval, send back the common numbers sorted.

--greet: none (read the set at once), list (send 'Thank you for connecting', then ONE recv() that
must be the set: an acknowledgement there makes literal_eval raise SyntaxError and the server dies),
ack (greet, recv() the acknowledgement and print it, then recv() the set).
--reply: plain ('[2, 3, 50]'), labelled (one message of three lines, 'Client set: [...]' (an echo),
'Server set: [...]', 'Intersection: [...]'), unsorted (the common numbers in the client's order,
a classmate who forgot to sort).
"""
import ast
import random

from classmate import GREETING, numbers_arg, serve, server_args


def handle(c):
    if args.greet != 'none':
        c.send(GREETING.encode())
        if args.greet == 'ack':
            ack = c.recv(1024)
            print('Client says:', ack.decode())
    data = c.recv(1024)
    client_set = ast.literal_eval(data.decode())
    server_set = args.server_set or random.sample(range(1, 101), 25)
    common = [n for n in client_set if n in server_set]
    if args.reply != 'unsorted':
        common = sorted(common)
    print('Client set:', client_set)
    print('Server set:', server_set)
    print('Common:', common)
    if args.reply == 'labelled':
        c.send(f'Client set: {client_set}\nServer set: {server_set}\nIntersection: {common}\n'.encode())
    else:
        c.send(str(common).encode())


p = server_args(__doc__)
p.add_argument('--greet', choices=['none', 'list', 'ack'], default='none')
p.add_argument('--reply', choices=['plain', 'labelled', 'unsorted'], default='plain')
p.add_argument('--server-set', type=numbers_arg, help="fix the server's own numbers, e.g. 1,2,3,50")
args = p.parse_args()
serve(args, handle)
