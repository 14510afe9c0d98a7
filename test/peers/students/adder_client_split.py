# Lab 2 Q1 - adder client
# usage: python3 adder_client_split.py HOST PORT
# (bug: sends the two numbers as two separate messages, one per line)
import random
import socket
import sys

name = 'bob-' + str(random.randint(100, 999))
s = socket.socket()
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(name.encode())
s.recv(1024)
while True:
    cmd = input('> ')
    if cmd == 'q':
        s.close()
        break
    if cmd != 'a':
        print('Invalid command')
        continue
    a = random.randint(1, 10)
    b = random.randint(1, 10)
    print('sending', a, 'and', b)
    s.send((str(a) + '\n').encode())
    s.send((str(b) + '\n').encode())
    print('answer received from Server =', s.recv(1024).decode().strip())
