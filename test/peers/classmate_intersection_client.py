#!/usr/bin/env python3
"""Lab 1, task 3 client the way classmates write it: send 25 distinct numbers, recv() the answer
once, print it. Sends nothing else and reads no greeting. --style:

  literal  str(list) out, ast.literal_eval in (a greeting or an 'error: ...' there -> a traceback)
  json     json.dumps out, json.loads in (anything but JSON -> JSONDecodeError)
  pickle   pickle.dumps(list, protocol=--protocol) out, pickle.loads in (text -> UnpicklingError).
           With --python2 it also refuses a pickle of a protocol above 2 with the error Python 2's
           pickle.loads gives ('unsupported pickle protocol: 4'): it stands in for a classmate on
           Python 2, which we cannot run here.

Checks nothing itself; prints 'Intersection: [...]'.
"""
import ast
import json
import pickle
import random

from classmate import client_args, connect, numbers_arg

p = client_args(__doc__)
p.add_argument('--style', choices=['literal', 'json', 'pickle'], default='literal')
p.add_argument('--protocol', type=int, default=pickle.DEFAULT_PROTOCOL)
p.add_argument('--python2', action='store_true', help='refuse pickles above protocol 2, as Python 2 does')
p.add_argument('--numbers', type=numbers_arg)
args = p.parse_args()

nums = args.numbers or random.sample(range(1, 101), 25)
s = connect(args)
print('Client set:', nums)
if args.style == 'pickle':
    s.send(pickle.dumps(nums, protocol=args.protocol))
elif args.style == 'json':
    s.send(json.dumps(nums).encode())
else:
    s.send(str(nums).encode())

data = s.recv(1024)
if args.style == 'pickle':
    if args.python2 and data[:1] == b'\x80' and data[1] > 2:
        raise ValueError('unsupported pickle protocol: %d' % data[1])
    common = pickle.loads(data)
elif args.style == 'json':
    common = json.loads(data.decode())
else:
    common = ast.literal_eval(data.decode())
print('Intersection:', common)
s.close()
