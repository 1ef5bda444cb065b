"""What the benchmarks say about the database they ran on, and ask of it. Import after
django.setup()."""

from django.db import connection


def database_label() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting('server_version')")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def production_durability() -> None:
    """The throw-away cluster of .ci/postgres.sh runs without fsync; a real server does not.
    A server that already syncs (any other) is left as it is."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW fsync")
        if cursor.fetchone()[0] == "on":
            return
        cursor.execute("ALTER SYSTEM SET fsync = on")
        cursor.execute("ALTER SYSTEM SET synchronous_commit = on")
        cursor.execute("SELECT pg_reload_conf()")
    connection.close()
