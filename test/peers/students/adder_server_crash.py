# Lab 2 Q1 - adder server
# usage: python3 adder_server_crash.py PORT
# (bug: never checks for an empty recv, so it crashes when a client leaves)
import socket
import sys

port = int(sys.argv[1])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(5)
while True:
    c, addr = s.accept()
    name = c.recv(1024).decode()
    print('Connection initiated by', name)
    c.send('ack'.encode())
    while True:
        data = c.recv(1024).decode()
        first, second = data.split(' ')
        c.send(str(int(first) + int(second)).encode())
