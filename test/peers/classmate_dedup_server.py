#!/usr/bin/env python3
"""Lab 1, task 2 server the way classmates write it: one recv(1024), ast.literal_eval, send the list
without duplicates, then the duplicates as a SECOND message. The duplicates come in the styles real
solutions use (--dups):

  once      each repeated value once, sorted(set(...)):     [4, 8, 42]
  every     every extra occurrence, in order:               [42, 8, 4, 4]
  counts    a dict of counts:                               {42: 2, 8: 2, 4: 3}
  wrong     a WRONG list: the numbers that appeared only once (the test turned round)
  labelled  no second message: one text reply,
            'received data: [...] modified data: [...] repeating elements: [...]'
            (the first list is an echo of what the client sent)

--greet: none (read the list at once), list (greet, then ONE recv() that must be the list: an
acknowledgement there makes literal_eval raise), ack (greet, recv the acknowledgement, recv the list).
A number outside 1..100 is answered with 'error: every number must be in [1, 100]'.
--pause S sleeps between the two messages (default 0: back to back, as most write it).
Crashes with a traceback where such a program does: anything but a Python literal where the list
should be (an acknowledgement, a pickle, nothing at all).
"""
import ast
import time

from classmate import GREETING, serve, server_args


def handle(c):
    if args.greet != 'none':
        c.send(GREETING.encode())
        if args.greet == 'ack':
            ack = c.recv(1024)
            print('Client says:', ack.decode())
    data = c.recv(1024)
    nums = ast.literal_eval(data.decode())
    print('Received list:', nums)
    for n in nums:
        if n < 1 or n > 100:
            c.send('error: every number must be in [1, 100]'.encode())
            return

    final = []
    for n in nums:
        if n not in final:
            final.append(n)

    if args.dups == 'once':
        dups = sorted(set(n for n in nums if nums.count(n) > 1))
    elif args.dups == 'every':
        dups = [n for i, n in enumerate(nums) if n in nums[:i]]
    elif args.dups == 'counts':
        dups = {n: nums.count(n) for n in nums if nums.count(n) > 1}
    elif args.dups == 'wrong':
        dups = [n for n in nums if nums.count(n) == 1]
    else:  # labelled: the repeated values once, in first-occurrence order
        dups = [n for n in final if nums.count(n) > 1]
    print('Final list:', final)
    print('Duplicates:', dups)

    if args.dups == 'labelled':
        c.send(f'received data: {nums} modified data: {final} repeating elements: {dups}'.encode())
        return
    c.send(str(final).encode())
    time.sleep(args.pause)
    c.send(str(dups).encode())


p = server_args(__doc__)
p.add_argument('--dups', choices=['once', 'every', 'counts', 'wrong', 'labelled'], default='once')
p.add_argument('--greet', choices=['none', 'list', 'ack'], default='none')
p.add_argument('--pause', type=float, default=0, help='seconds between the final list and the duplicates')
args = p.parse_args()
serve(args, handle)
