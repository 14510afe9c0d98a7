#!/usr/bin/env python3
"""Lab 1, task 2 or 3 client that sends its numbers as raw bytes, one byte per number:
bytes(random.sample(range(1, 100), 25)) (dedup: 25..100 random bytes of 1..99, with repeats), and
reads the answer the same way, list(s.recv(1024)). It never crashes: whatever comes back is
printed as a list of byte values (text '[1, 2]' would show as [91, 49, 44, 32, 50, 93]).

Prints 'Final list: [...]' and the duplicates it works out itself (dedup), or
'Intersection: [...]'. --numbers fixes the list (each 1..255).
"""
import random

from classmate import client_args, connect, numbers_arg

p = client_args(__doc__)
p.add_argument('--exercise', choices=['dedup', 'intersection'], required=True)
p.add_argument('--numbers', type=numbers_arg)
args = p.parse_args()

if args.numbers:
    data = bytes(args.numbers)
elif args.exercise == 'dedup':
    data = bytes(random.randint(1, 99) for _ in range(random.randint(25, 100)))
else:
    data = bytes(random.sample(range(1, 100), 25))
s = connect(args)
print('Sending:', list(data))
s.send(data)
answer = list(s.recv(1024))
if args.exercise == 'dedup':
    print('Final list:', answer)
    nums = list(data)
    print('Duplicates:', [n for n in dict.fromkeys(nums) if nums.count(n) > 1])
else:
    print('Intersection:', answer)
s.close()
