#!/usr/bin/env python3
"""Lab 2, question 2 (server): the adder service, one thread per client.

Shaped like the StackOverflow skeleton the handout links (a ThreadedServer class whose listen()
starts a listenToClient thread per connection). The service itself is adder_server.serve_client.
"""
import argparse
import socket
import sys
import threading

from adder_server import add_arguments, serve_client

print_lock = threading.Lock()


def say(*parts):
    with print_lock:  # threads must not interleave their lines
        print(*parts, flush=True)


class ThreadedServer(object):
    def __init__(self, args):
        self.args = args
        self.failed = False
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.settimeout(args.timeout)
        self.sock.bind((args.host, args.port))

    def listen(self):
        self.sock.listen(1024)  # a benchmark connects 1000 clients at once
        say('listening on', self.sock.getsockname()[1])
        while True:
            try:
                client, address = self.sock.accept()
            except socket.timeout:
                if self.args.once:
                    raise RuntimeError('nobody connected')
                continue
            client.settimeout(self.args.timeout)
            t = threading.Thread(target=self.listenToClient, args=(client, address), daemon=True)
            t.start()
            if self.args.once:
                t.join()
                return not self.failed

    def listenToClient(self, client, address):
        if not serve_client(client, address, self.args, say):
            self.failed = True


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__)
    add_arguments(p)
    try:
        ok = ThreadedServer(p.parse_args()).listen()
        sys.exit(0 if ok else 1)
    except Exception as e:
        say('FAIL:', e)
        sys.exit(1)
