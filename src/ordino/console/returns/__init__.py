"""The console's returns: the order page's panel (start, approve, decline, receive, close) and
the store screen for receiving returns on a phone (docs/returns.md)."""
