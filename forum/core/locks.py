"""Taking turns: one transaction at a time for a check-then-write that a row lock cannot cover.

Some rules count rows that do not exist yet ("at most five reports an hour from one
network"): no row can be locked for them, so two requests at the same instant would both
count four and both write. `serialize(key)` makes transactions that name the same key run one
after the other, until the transaction ends:

- PostgreSQL: a transaction-level advisory lock on the key's hash.
- SQLite: nothing to do. Its transactions begin IMMEDIATE (see settings), so a writing
  transaction already holds the database's single write lock from its first statement.
"""

from django.db import connection


def serialize(key: str) -> None:
    """Hold the lock named `key` until the current transaction ends (call inside atomic())."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
