"""The Alembic revision this code expects; a test keeps it equal to the chain's head.

Kept as a constant so that checking the schema costs one SELECT and no Alembic import.
"""

SCHEMA_REVISION = "0001"
