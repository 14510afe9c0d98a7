# Lab 1 Task 2 - dedup server: greets, reads the acknowledgement, then the list;
# sends back the list without duplicates, then the duplicates
# usage: python3 dedup_server.py PORT
import ast
import socket
import sys
import time

port = int(sys.argv[1])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(5)
while True:
    c, addr = s.accept()
    print('Got connection from', addr)
    c.send('Thank you for connecting'.encode())
    print(c.recv(1024).decode())          # the acknowledgement
    numbers = ast.literal_eval(c.recv(1024).decode())
    final = []
    dups = []
    for n in numbers:
        if n not in final:
            final.append(n)
        elif n not in dups:
            dups.append(n)
    c.send(str(final).encode())
    time.sleep(0.3)
    c.send(str(dups).encode())
    c.close()
