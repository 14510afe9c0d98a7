# Lab 1 Task 2 - dedup client
# usage: python3 dedup_client.py HOST PORT
import random
import socket
import sys

n = random.randint(25, 100)
numbers = [random.randint(1, 100) for i in range(n)]
print('sending', n, 'numbers:', numbers)

s = socket.socket()
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(str(numbers).encode())
final = eval(s.recv(4096).decode())
duplicates = sorted(set(x for x in numbers if numbers.count(x) > 1))
print('The final list of numbers:', final)
print('Duplicates:', duplicates)
s.close()
