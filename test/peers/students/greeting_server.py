# Lab 1 Task 1 - server greets, reads the client's acknowledgement
# usage: python3 greeting_server.py PORT
import socket
import sys

port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(5)
while True:
    c, addr = s.accept()
    print('Got connection from', addr)
    c.send('Thank you for connecting'.encode())
    reply = c.recv(1024)
    print(reply.decode())
    c.close()
