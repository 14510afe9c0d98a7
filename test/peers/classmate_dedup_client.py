#!/usr/bin/env python3
"""Lab 1, task 2 client the way classmates write it: send the list, then recv() TWO messages, the
final list and the list of duplicates, and print them (the handout's a. and b.). --style:

  literal  str(list) out; ast.literal_eval on each recv(): a missing second message is
           literal_eval('') -> SyntaxError; two messages glued into one recv() -> ValueError
  json     json.dumps out; json.loads on each recv(): a missing second message -> JSONDecodeError
  pickle   pickle.dumps(list, protocol=--protocol) out; pickle.loads on each recv(): text ->
           UnpicklingError, a missing second message -> EOFError
  loose    str(list) out; prints each recv() as it decodes: a missing second message prints an
           empty 'Duplicates:' and exits 0

--numbers fixes the list (default: 25..100 random numbers in 1..100). Checks nothing itself.
"""
import ast
import json
import pickle
import random

from classmate import client_args, connect, numbers_arg

p = client_args(__doc__)
p.add_argument('--style', choices=['literal', 'json', 'pickle', 'loose'], default='literal')
p.add_argument('--protocol', type=int, default=pickle.DEFAULT_PROTOCOL)
p.add_argument('--numbers', type=numbers_arg)
args = p.parse_args()

nums = args.numbers or [random.randint(1, 100) for _ in range(random.randint(25, 100))]
s = connect(args)
print('Original list:', nums)
if args.style == 'pickle':
    s.send(pickle.dumps(nums, protocol=args.protocol))
elif args.style == 'json':
    s.send(json.dumps(nums).encode())
else:
    s.send(str(nums).encode())

if args.style == 'literal':
    final = ast.literal_eval(s.recv(1024).decode())
    dups = ast.literal_eval(s.recv(1024).decode())
elif args.style == 'json':
    final = json.loads(s.recv(1024).decode())
    dups = json.loads(s.recv(1024).decode())
elif args.style == 'pickle':
    final = pickle.loads(s.recv(1024))
    dups = pickle.loads(s.recv(1024))
else:
    final = s.recv(1024).decode()
    dups = s.recv(1024).decode()
print('Final list:', final)
print('Duplicates:', dups)
s.close()
