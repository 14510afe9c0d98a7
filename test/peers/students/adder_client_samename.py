# Lab 2 Q1 - adder client
# usage: python3 adder_client_samename.py HOST PORT
# (bug for Q2: every instance calls itself "alice")
import random
import socket
import sys

s = socket.socket()
s.connect((sys.argv[1], int(sys.argv[2])))
s.send('alice'.encode())
ack = s.recv(1024).decode()
while True:
    c = input('command (a/q): ')
    if c == 'a':
        x, y = random.randint(1, 10), random.randint(1, 10)
        print(x, '+', y)
        s.send(f'{x} {y}'.encode())
        print('answer received from Server =', s.recv(1024).decode())
    elif c == 'q':
        s.close()
        break
    else:
        print('Invalid command')
