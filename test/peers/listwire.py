"""Shared by the dedup_* and intersection_* peers: how a list of numbers goes on the wire.

Not a peer itself. Formats: str -> '[1, 5, 5, 9]' (str(my_list)), json -> the same text via
json.dumps, pickle -> pickle.dumps(my_list, protocol), spaces -> '1 5 5 9'.
"""
import ast
import json
import pickle
import re

FORMATS = ['str', 'json', 'pickle', 'spaces']
GREETING = 'Thank you for connecting'
ACK = 'It was nice talking to you'
PICKLE_MARK = b'\x80'  # first byte of every pickle of protocol 2 and later
JUNK = ' \t\r\n\0'  # endings a naive peer may leave on a message


def parse_numbers(text):
    """'1,5,5,9' -> [1, 5, 5, 9] (for --numbers, --server-set, --expect)."""
    return [int(x) for x in text.split(',') if x.strip()]


def encode(numbers, fmt='str', protocol=4):
    """List -> bytes. An empty list is '[]' in every text format."""
    numbers = list(numbers)
    if fmt == 'pickle':
        return pickle.dumps(numbers, protocol=protocol)
    if fmt == 'json':
        return json.dumps(numbers).encode()
    if fmt in ('spaces', 'commas') and numbers:
        sep = ' ' if fmt == 'spaces' else ','
        return sep.join(str(n) for n in numbers).encode()
    return str(numbers).encode()


def decode(data):
    """Bytes -> (numbers, fmt, protocol); fmt and protocol say how to answer in kind."""
    try:
        return _decode(data)
    except Exception:
        raise ValueError(f'not a list of numbers: {data[:80]!r}') from None


def _decode(data):
    if data[:1] == PICKLE_MARK:
        return [int(n) for n in pickle.loads(data)], 'pickle', data[1]  # bytes after the pickle are ignored
    text = data.decode().strip(JUNK)
    if text[:1] in ('[', '(', '{') or text == 'set()':
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            value = json.loads(text)
        return [int(n) for n in value], 'str', None
    fmt = 'commas' if ',' in text else 'spaces'
    return [int(n) for n in re.split(r'[,\s]+', text) if n], fmt, None


def split_ack(data):
    """The acknowledgement and the list can arrive in one recv(): cut where the list starts
    (a pickle's 0x80, a bracket, or a digit). Returns (ack, rest); rest is b'' when only the ack came."""
    m = re.search(rb'[\x80\[({0-9]', data)
    if m is None:
        return data, b''
    return data[:m.start()], data[m.start():]
