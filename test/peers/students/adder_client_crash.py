# Lab 2 Q1 - adder client
# usage: python3 adder_client_crash.py HOST PORT
# (bug: python 2 habit, adds bytes to a str, so it crashes on the first answer)
import random
import socket
import sys

s = socket.socket()
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(('carol' + str(random.randint(10, 99))).encode())
s.recv(1024)
while True:
    cmd = input('Enter command: ')
    if cmd == 'a':
        a = random.randint(1, 10)
        b = random.randint(1, 10)
        print(a, b)
        s.send((str(a) + ' ' + str(b)).encode())
        print('answer received from Server = ' + s.recv(1024))
    elif cmd == 'q':
        break
    else:
        print('Invalid command')
s.close()
