"""Ports (core/ports.py): a lower module's need, served by a module above, plugged by wiring."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import ordino
from ordino.core.ports import Port, PortNotWired


def test_an_unplugged_port_refuses_to_be_called():
    # given a port nobody plugged
    port = Port("test.nobody", "what a test needs")
    # when it is called, then it says which port and where it is wired
    with pytest.raises(PortNotWired, match=r"port test\.nobody .* see wiring\.py"):
        port(1)


def test_a_plugged_port_calls_its_function_with_the_arguments():
    port = Port("test.double", "twice a number")
    port.plug(lambda n, *, plus=0: 2 * n + plus)
    assert port(4, plus=1) == 9


def _declared_ports() -> list[tuple[str, Port]]:
    found = []
    for info in pkgutil.walk_packages(ordino.__path__, "ordino."):
        if ".migrations" in info.name or ".management" in info.name or info.name == "ordino.wsgi":
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, Port) and getattr(module, name) is value:
                found.append((f"{info.name}.{name}", value))
    return found


def test_every_port_the_code_declares_is_plugged_at_start_up():
    # given the application started (django.setup ran WiringConfig.ready)
    # then no declared port is left empty
    unplugged = sorted({where for where, port in _declared_ports() if not port.plugged})
    assert unplugged == []
