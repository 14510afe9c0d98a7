# Lab 2 Q1 - adder server, every reply ends with a newline
# usage: python3 adder_server_ack_newline.py PORT
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
    c.send(b'ack\n')
    while True:
        data = c.recv(1024)
        if not data:
            break
        a, b = data.decode().split()
        c.send((str(int(a) + int(b)) + '\n').encode())
    c.close()
