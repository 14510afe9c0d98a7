#!/usr/bin/env python3
"""Lab 1, task 2 or 3 client built on top of task 1 the way many classmates did: it sends the
acknowledgement ('It was nice talking to you') straight away, BEFORE any greeting (it never reads
one), then its list, then recv() the answer once and ast.literal_eval()s it. An 'error: ...' or a
greeting where the answer should be makes literal_eval raise: a traceback, exit 1.

--exercise dedup: 25..100 numbers in 1..100, prints 'Final list: [...]' and the duplicates it
works out itself ('Duplicates: [...]', each repeated value once). --exercise intersection: 25
distinct numbers, prints 'Intersection: [...]'.
--pause S waits between the acknowledgement and the list (default 0: back to back, so they often
arrive in one segment).
"""
import ast
import random
import time

from classmate import ACK, client_args, connect, numbers_arg

p = client_args(__doc__)
p.add_argument('--exercise', choices=['dedup', 'intersection'], required=True)
p.add_argument('--numbers', type=numbers_arg)
p.add_argument('--pause', type=float, default=0)
args = p.parse_args()

if args.numbers:
    nums = args.numbers
elif args.exercise == 'dedup':
    nums = [random.randint(1, 100) for _ in range(random.randint(25, 100))]
else:
    nums = random.sample(range(1, 101), 25)

s = connect(args)
s.send(ACK.encode())
time.sleep(args.pause)
print('Sending:', nums)
s.send(str(nums).encode())
answer = ast.literal_eval(s.recv(1024).decode())
if args.exercise == 'dedup':
    print('Final list:', answer)
    dups = []
    for n in nums:
        if nums.count(n) > 1 and n not in dups:
            dups.append(n)
    print('Duplicates:', dups)
else:
    print('Intersection:', answer)
s.close()
