"""What a channel feed pushes, and when (docs/feeds.md): pure rules, no Django, no I/O.

`plan.py`: the levels of a delta and of a full push, batches, when a channel is due, the retry
backoff. `book.py`: the same rules as one in-memory feed (the property test and the benchmark
drive it). The platforms' requests for a batch of levels are the connectors'
(connectors/platforms/stock.py).
"""
