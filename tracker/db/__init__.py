"""The database: engines and their engine-specific settings (``engine``), sessions
(``session``), the schema check and when a database may be created (``schema``), and running
the Alembic chain (``migrate``). Dependencies point one way: schema -> session, migrate ->
engine; nothing here imports the services or the CLI.
"""
