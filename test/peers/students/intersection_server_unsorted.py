# Lab 1 Task 3 - intersection server: greets, then reads the list straight away
# usage: python3 intersection_server_unsorted.py PORT
# (bug: the common numbers come back in the client's order, not sorted)
import ast
import random
import socket
import sys

port = int(sys.argv[1])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(5)
while True:
    c, addr = s.accept()
    c.send('Thank you for connecting'.encode())
    client_list = ast.literal_eval(c.recv(1024).decode())
    server_list = random.sample(range(1, 101), 60)
    common = [x for x in client_list if x in server_list]
    c.send(str(common).encode())
    c.close()
