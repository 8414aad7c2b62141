#!/usr/bin/env python3
"""Idle keep-alive connections, for tests/load/compare.sh: what each one costs the server in memory.

Opens COUNT mutual-TLS connections one after another, sends one GET on each and reads the answer, keeping every
connection open; then prints "ready N" (N connections answered) and holds them for HOLD seconds.

Usage: idle_client.py HOST PORT CA CERT KEY COUNT HOLD
"""
import resource
import socket
import ssl
import sys
import time


def read_answer(tls):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = tls.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = tls.recv(65536)
        if not chunk:
            return False
        body += chunk
    return head.startswith(b"HTTP/1.1 200")


def main():
    host, port, ca, cert, key, count, hold = sys.argv[1:8]
    count = int(count)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count + 64 if hard == resource.RLIM_INFINITY else min(hard, count + 64)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(ca)
    context.load_cert_chain(cert, key)
    context.options |= getattr(ssl, "OP_IGNORE_UNEXPECTED_EOF", 0)
    request = f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    connections = []
    answered = 0
    for _ in range(count):
        try:
            tls = context.wrap_socket(socket.create_connection((host, int(port)), timeout=30), server_hostname=host)
            tls.sendall(request)
            answered += read_answer(tls)
            connections.append(tls)
        except OSError:
            pass
    print("ready", answered, flush=True)
    time.sleep(float(hold))
    for tls in connections:
        tls.close()


if __name__ == "__main__":
    main()
