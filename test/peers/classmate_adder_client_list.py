#!/usr/bin/env python3
"""Lab 2, question 1 client that bundles the two numbers as a Python list: 'a' sends str([3, 7])
('[3, 7]'; --shape tuple sends '(3, 7)'), then int(s.recv(1024).decode()). An answer that is not a
bare integer (an 'error: ...') makes int() raise ValueError: a traceback, exit 1.

Sends its name (--name, default student-NNNN), prints what the server answered ('Server says: ack'),
then the handout's loop from --script a,a,q or from stdin: prints 'Numbers: 3 7' and
'answer received from Server = 10'; anything but a or q prints 'Invalid command'.
"""
import random

from classmate import client_args, commands, connect

p = client_args(__doc__)
p.add_argument('--name')
p.add_argument('--script')
p.add_argument('--shape', choices=['list', 'tuple'], default='list')
args = p.parse_args()

name = args.name or 'student-%d' % random.randint(1000, 9999)
s = connect(args)
s.send(name.encode())
print('Server says:', s.recv(1024).decode())
for command in commands(args.script):
    command = command.strip()
    if command == 'q':
        break
    if command != 'a':
        print('Invalid command')
        continue
    nums = [random.randint(1, 10), random.randint(1, 10)]
    print('Numbers:', nums[0], nums[1])
    s.send(str(nums if args.shape == 'list' else tuple(nums)).encode())
    answer = int(s.recv(1024).decode())
    print('answer received from Server =', answer)
s.close()
