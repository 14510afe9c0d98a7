# Lab 1 Task 1 - client prints the greeting and answers with an acknowledgement
# usage: python3 greeting_client.py HOST PORT [MY_PORT]
# (MY_PORT: bind the client's own port first, as the handout's client does with 32451)
import socket
import sys

host = sys.argv[1]
ports = int(sys.argv[2])
s = socket.socket()
if len(sys.argv) > 3:
    portc = int(sys.argv[3])
    s.bind(('127.0.0.1', portc))
s.connect((host, ports))
print(s.recv(1024).decode())
s.send('It was nice talking to you'.encode())
s.close()
