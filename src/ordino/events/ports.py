"""What the outbox needs from the composition root above it (core/ports.py)."""

from __future__ import annotations

from ordino.core.ports import Port

# The relay's queue mode runs one subscriber per task, in whichever worker process takes it:
# that process finds the subscriber by its name among the wired ones.
outbox_subscribers = Port(
    "outbox_subscribers", "every outbox subscriber by event class (wiring.SUBSCRIBERS)"
)
