"""Alembic migrations: the only way reviewdb's schema changes (``reviewdb init`` runs them)."""
