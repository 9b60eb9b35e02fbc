from tests.store.conftest import _pg_admin, database, pg_url  # noqa: F401  (the store's real databases)
