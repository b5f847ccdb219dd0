"""Publishing: export bundles to the site's object storage and IPFS pinning.

The only layer besides ``sync`` that talks to the network, and never to Qt.
"""
