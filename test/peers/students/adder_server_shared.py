# Lab 2 Q2 - threaded adder server
# usage: python3 adder_server_shared.py PORT
# (bug: the threads answer on the global `client`, which is the newest connection)
import socket
import sys
import threading

port = int(sys.argv[1])
client = None


def handle(c):
    name = c.recv(1024).decode()
    print('Connection initiated by', name)
    client.send('ack'.encode())
    while True:
        data = c.recv(1024).decode()
        if not data:
            break
        a, b = data.split()
        client.send(str(int(a) + int(b)).encode())


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(10)
while True:
    client, addr = s.accept()
    threading.Thread(target=handle, args=(client,), daemon=True).start()
