"""Use cases of the pool service: each function is one step a coordinator or member takes,
run as one transaction on a :class:`~peerconomy.services.ports.UnitOfWork`."""
