# Lab 1 Task 3 - intersection server; its own set is drawn once when it starts
# usage: python3 intersection_server.py PORT
import random
import socket
import sys

port = int(sys.argv[1])
mine = random.sample(range(1, 101), 25)
print('my set:', sorted(mine))
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(5)
while True:
    c, addr = s.accept()
    theirs = eval(c.recv(1024).decode())
    common = sorted(set(theirs) & set(mine))
    print('common:', common)
    c.send(str(common).encode())
    c.close()
