"""Alembic migrations of the govbridge database; run them with ``govbridge db upgrade``."""
