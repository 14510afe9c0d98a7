# Lab 2 Q1 - adder client
# usage: python3 adder_client_hang.py HOST PORT
# (bug: on q it tells the server and then waits for a reply that never comes)
import random
import socket
import sys

s = socket.socket()
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(('dave' + str(random.randint(100, 999))).encode())
s.recv(1024)
while True:
    cmd = input('Enter command: ')
    if cmd == 'a':
        a, b = random.randint(1, 10), random.randint(1, 10)
        print(a, b)
        s.send(f'{a} {b}'.encode())
        print('answer received from Server =', s.recv(1024).decode())
    elif cmd == 'q':
        s.send(b'q')
        print('server says', s.recv(1024).decode())
        s.close()
        break
    else:
        print('Invalid command')
