"""peerconomy: share out a pool's work and goods by contributions."""
