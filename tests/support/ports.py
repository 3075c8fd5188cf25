"""Loopback ports for tests: one free at the moment of asking, for a server or for nobody."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port no one listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
