# Lab 1 Task 3 - intersection client: reads the greeting, then sends its set
# usage: python3 intersection_client.py HOST PORT
import random
import socket
import sys

mine = random.sample(range(1, 101), 25)
s = socket.socket()
s.connect((sys.argv[1], int(sys.argv[2])))
print('server:', s.recv(1024).decode())
s.send(str(mine).encode())
common = s.recv(1024).decode()
print('my set:', mine)
print('common numbers:', common)
s.close()
