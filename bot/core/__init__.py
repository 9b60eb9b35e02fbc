"""The platform-neutral core: Message, Reply, command declarations, the router and its middleware."""
