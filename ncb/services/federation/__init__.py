"""Federation use cases: node identity, peers, outbox/inbox, release, apply, recall, sync."""
