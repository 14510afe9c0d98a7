# Lab 1 Task 1 - greeting server with its own greeting
# usage: python3 greeting_server_words.py PORT
import socket
import sys

port = int(sys.argv[1])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(5)
while True:
    c, addr = s.accept()
    print('Got connection from', addr)
    c.send(b'Hello client, welcome to my server!')
    print('client says:', c.recv(1024).decode())
    c.close()
