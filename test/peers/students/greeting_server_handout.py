# Lab 1 - the handout's simple server, ported to python 3 (it never reads the acknowledgement)
# usage: python3 greeting_server_handout.py PORT
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
host = socket.gethostbyname(socket.gethostname())
port = int(sys.argv[1])
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
print('host ip', host)
s.listen(5)
while True:
    c, addr = s.accept()
    print('Got connection from', addr)
    c.send('Thank you for connecting'.encode())
    c.close()
