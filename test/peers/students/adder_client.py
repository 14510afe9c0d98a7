# Lab 2 Q1/Q2 - adder client
# usage: python3 adder_client.py HOST PORT
import random
import socket
import sys

host = sys.argv[1]
port = int(sys.argv[2])
name = 'student' + str(random.randint(1000, 9999))   # unique name per instance

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((host, port))
s.send(name.encode())
reply = s.recv(1024).decode()
if reply != 'ack':
    print('server did not send ack:', reply)
    sys.exit(1)

while True:
    cmd = input('Enter command: ')
    if cmd == 'q':
        s.close()
        break
    elif cmd == 'a':
        a = random.randint(1, 10)
        b = random.randint(1, 10)
        print('Numbers:', a, b)
        s.send((str(a) + ' ' + str(b)).encode())
        answer = s.recv(1024).decode()
        print('answer received from Server =', answer)
    else:
        print('Invalid command')
