# Lab 2 Q1 - adder server (one client at a time)
# usage: python3 adder_server.py PORT
import socket
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 12345

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(5)
print('server is up on port', port)

while True:
    c, addr = s.accept()
    name = c.recv(1024).decode()
    print('Connection initiated by', name)
    c.send('ack'.encode())
    while True:
        data = c.recv(1024).decode()
        if not data or data.strip() == 'q':
            print(name, 'left')
            break
        nums = data.split()
        total = int(nums[0]) + int(nums[1])
        print(name, 'sent', nums[0], nums[1], '->', total)
        c.send(str(total).encode())
    c.close()
