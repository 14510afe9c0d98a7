"""Shared by the classmate_* peers: only the boilerplate every one of them has (flags, the accept loop).

Not a peer itself. The classmate_* peers are written the way a student writes the lab in two hours:
plain `socket`, `send(str(x).encode())`, one `recv(1024)` per expected message, `ast.literal_eval`,
`pickle.loads`, `makefile().readline()`. Unlike the other peers here they catch NOTHING: where a
classmate's program would die (literal_eval on an acknowledgement, pickle.loads on text, a second
recv() that gets b'') they die the same way, with Python's traceback on stderr and exit status 1.
That is how a test sees "SocketLab crashed a classmate's program".

The only addition a classmate would not write is a socket timeout (--timeout, default 10 s): where
their program would hang for ever, ours raises TimeoutError (a traceback too) and the test ends.
"""
import argparse
import socket
import sys

GREETING = 'Thank you for connecting'
ACK = 'It was nice talking to you'

# print() straight into a pipe is block-buffered; the tests read lines as they come.
sys.stdout.reconfigure(line_buffering=True)


def server_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=0, help='0 = any free port')
    p.add_argument('--once', action='store_true', help='serve one connection, then exit')
    p.add_argument('--timeout', type=float, default=10)
    return p


def client_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--timeout', type=float, default=10)
    return p


def numbers_arg(text):
    """'4,8,4' -> [4, 8, 4] (for --numbers and --server-set)."""
    return [int(x) for x in text.split(',') if x.strip()]


def serve(args, handle):
    """The handout's server loop: accept, print who connected, handle(c), close. An exception in
    handle() ends the whole program, as it does in a classmate's server."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.host, args.port))
    s.listen(5)
    print('listening on', s.getsockname()[1])
    s.settimeout(args.timeout)
    while True:
        try:
            c, addr = s.accept()
        except socket.timeout:
            if args.once:
                raise
            continue
        c.settimeout(args.timeout)
        print('Got connection from', addr)
        handle(c)
        c.close()
        if args.once:
            return


def connect(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(args.timeout)
    s.connect((args.host, args.port))
    return s


def commands(script):
    """Adder clients: the handout's keyboard loop, from --script a,a,q or from stdin (EOF = q)."""
    if script is not None:
        yield from script.split(',')
        yield 'q'
        return
    while True:
        try:
            yield input('Enter command: ')
        except EOFError:
            yield 'q'
            return
