"""What the instances of one bot share: first claims of inbound events, per-user limits — in the
database (migration 0008) or in Redis when ``CALCBOT_REDIS_URL`` is set."""
