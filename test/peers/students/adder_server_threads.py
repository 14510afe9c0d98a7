# Lab 2 Q2 - multi client adder server, one thread per client
# usage: python3 adder_server_threads.py PORT
import socket
import sys
import threading

port = int(sys.argv[1]) if len(sys.argv) > 1 else 12345


def serve(conn, addr):
    name = conn.recv(1024).decode()
    print('Connection initiated by', name)
    conn.send(b'ack')
    while True:
        msg = conn.recv(1024)
        if not msg:
            break
        msg = msg.decode().strip()
        if msg == 'q':
            break
        a, b = msg.split()
        conn.send(str(int(a) + int(b)).encode())
    print(name, 'disconnected')
    conn.close()


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('127.0.0.1', port))
server.listen(10)
print('listening...')
while True:
    conn, addr = server.accept()
    t = threading.Thread(target=serve, args=(conn, addr))
    t.daemon = True
    t.start()
