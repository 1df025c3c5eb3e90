"""The federation protocol, pure: node keys, envelopes, release, cursors, bundles, conflicts.

Nothing here touches a database or the network; ncb.services.federation does the I/O.
"""
