"""Order capture throughput: Ordino over HTTP next to the bare database driver."""
