#!/usr/bin/env python3
"""Lab 1, task 1 client by a classmate used to C strings: prints the greeting from one recv(1024)
with any '\\0' stripped, answers 'It was nice talking to you\\0' (NUL-terminated), closes.
"""
from classmate import ACK, client_args, connect

args = client_args(__doc__).parse_args()
s = connect(args)
greeting = s.recv(1024).decode().strip('\0')
print(greeting)
s.send((ACK + '\0').encode())
s.close()
