"""The whole schema in one metadata: what Alembic migrates and what its tests compare.

The core catalog (:mod:`reviewdb.models`) does not know the miner; the screening tables
(:mod:`reviewdb.mining.models`) build on the core. This module is the one place that
registers both, so ``migrations/env.py`` and the migration tests see every table.
"""

from __future__ import annotations

from reviewdb.mining import models as mining_models  # noqa: F401  (registers the screening tables)
from reviewdb.models import Base

metadata = Base.metadata

__all__ = ["metadata"]
