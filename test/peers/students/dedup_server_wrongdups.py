# Lab 1 Task 2 - dedup server
# usage: python3 dedup_server_wrongdups.py PORT
# (bug: the "duplicates" are the numbers that appeared only once)
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
    nums = eval(c.recv(1024).decode())
    final = list(dict.fromkeys(nums))
    dups = [n for n in final if nums.count(n) == 1]
    c.send(str(final).encode())
    time.sleep(0.2)
    c.send(str(dups).encode())
    c.close()
