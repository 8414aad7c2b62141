#!/usr/bin/env python3
"""Resumed TLS sessions the way HTTP clients keep them, for tests/load/compare.sh.

Opens one connection after another for SECONDS, each offering the session (TLS 1.3 ticket, or TLS 1.2 ticket or
session id) received on the previous connection, sends one GET and reads the answer to the end. A peer that closes
without a TLS close_notify (Kestrel does, for Connection: close) is accepted as browsers accept it, so the session
stays resumable; openssl s_time treats that as an error and never resumes such a server.

Usage: resumed_client.py HOST PORT CA CERT KEY SECONDS [1.2|1.3]
Prints: connections failures resumed
"""
import socket
import ssl
import sys
import time


def main():
    host, port, ca, cert, key, seconds = sys.argv[1:7]
    version = sys.argv[7] if len(sys.argv) > 7 else ""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(ca)
    context.load_cert_chain(cert, key)
    context.options |= getattr(ssl, "OP_IGNORE_UNEXPECTED_EOF", 0)
    if version:
        fixed = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}[version]
        context.minimum_version = context.maximum_version = fixed
    request = f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()

    def one(session):
        with socket.create_connection((host, int(port)), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname=host, session=session) as tls:
                tls.sendall(request)
                answer = b""
                while chunk := tls.recv(65536):
                    answer += chunk
                return tls.session, tls.session_reused, answer.startswith(b"HTTP/1.1 200")

    session = None
    try:
        session, _, _ = one(None)
    except OSError:
        pass
    connections = failures = resumed = 0
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        connections += 1
        try:
            session, reused, ok = one(session)
            resumed += reused
            failures += not ok
        except OSError:
            failures += 1
    print(connections, failures, resumed)


if __name__ == "__main__":
    main()
