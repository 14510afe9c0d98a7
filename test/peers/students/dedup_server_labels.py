# Lab 1 Task 2 - dedup server, one labelled reply
# usage: python3 dedup_server_labels.py PORT
import json
import socket
import sys

port = int(sys.argv[1])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(5)
while True:
    c, addr = s.accept()
    data = json.loads(c.recv(4096).decode())
    unique = sorted(set(data))
    repeated = []
    seen = set()
    for x in data:
        if x in seen:
            repeated.append(x)    # every extra copy
        seen.add(x)
    reply = 'received: ' + str(data) + ' final list: ' + str(unique) + ' duplicates: ' + str(repeated)
    c.send(reply.encode())
    c.close()
