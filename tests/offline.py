"""Tests never reach the network (docs/reliability.md): carriers, payment providers and
channels are replayed from recorded answers. A name that is not this machine's is refused
before it is looked up, and a connection to an address that is not a loopback one fails, so a
call a test forgot to replay (e.g. the fuzzer making an EasyPost account and buying with it)
answers as a dead network at once instead of reaching the provider."""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

# The servers a test run is pointed at (PostgreSQL, Redis, RabbitMQ) may have a name of their
# own (a CI service container): their hosts stay reachable.
SERVER_URLS = ("DATABASE_URL", "ORDINO_REDIS_URL", "ORDINO_TEST_REDIS_URL", "ORDINO_CACHE_URL",
               "ORDINO_TEST_AMQP_URL", "ORDINO_AMQP_URL")  # fmt: skip
LOCAL_NAMES = frozenset(
    {"localhost", "testserver", ""}
    | {(urlsplit(os.environ[k]).hostname or "").lower() for k in SERVER_URLS if os.environ.get(k)}
)


def _local(host: object) -> bool:
    if host is None:
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name.lower() in LOCAL_NAMES or name.lower().endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def network_refuse() -> None:
    """Patch name look-ups and connections for the whole test process."""
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        if not _local(host):
            raise socket.gaierror(socket.EAI_NONAME, f"tests never reach the network: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            raise ConnectionRefusedError(f"tests never reach the network: {address[0]}")
        return real_connect(self, address)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect
