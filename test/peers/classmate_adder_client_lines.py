#!/usr/bin/env python3
"""Lab 2, question 1 client that speaks in lines: it sends 'name\\n', reads the acknowledgement with
s.makefile().readline() (so it waits for 'ack\\n': a bare 'ack' never completes the line and the
readline() times out: TimeoutError, a traceback), sends '3 7\\n' per 'a' and reads each answer with
readline() too (int() of it; an empty line, the server gone, raises ValueError).

Prints 'Server says: ack', 'Numbers: 3 7', 'answer received from Server = 10', 'Invalid command';
commands from --script a,a,q or stdin. --name, default student-NNNN.
"""
import random

from classmate import client_args, commands, connect

p = client_args(__doc__)
p.add_argument('--name')
p.add_argument('--script')
args = p.parse_args()

name = args.name or 'student-%d' % random.randint(1000, 9999)
s = connect(args)
f = s.makefile('r')
s.send((name + '\n').encode())
ack = f.readline()
print('Server says:', ack.strip())
for command in commands(args.script):
    command = command.strip()
    if command == 'q':
        break
    if command != 'a':
        print('Invalid command')
        continue
    a, b = random.randint(1, 10), random.randint(1, 10)
    print('Numbers:', a, b)
    s.send(f'{a} {b}\n'.encode())
    answer = int(f.readline())
    print('answer received from Server =', answer)
s.close()
