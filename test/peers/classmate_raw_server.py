#!/usr/bin/env python3
"""Lab 1, task 2 or 3 server that reads numbers as raw bytes, list(c.recv(1024)), and answers raw
bytes: bytes(final) (dedup, first occurrences in order) or bytes(sorted(common)) (intersection, with
its own 25 numbers or --server-set). It never crashes on input: text '[1, 2]' is read as the numbers
[91, 49, 44, 32, 50, 93]. An empty intersection sends nothing (bytes([]) is b'').
"""
import random

from classmate import numbers_arg, serve, server_args


def handle(c):
    nums = list(c.recv(1024))
    print('Received:', nums)
    if args.exercise == 'dedup':
        answer = list(dict.fromkeys(nums))
    else:
        server_set = args.server_set or random.sample(range(1, 100), 25)
        print('Server set:', server_set)
        answer = sorted(set(nums) & set(server_set))
    print('Sending:', answer)
    c.send(bytes(answer))


p = server_args(__doc__)
p.add_argument('--exercise', choices=['dedup', 'intersection'], required=True)
p.add_argument('--server-set', type=numbers_arg)
args = p.parse_args()
serve(args, handle)
