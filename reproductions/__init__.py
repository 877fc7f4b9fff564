"""PyTorch reproductions of representative generative methods from the review.

Layers (see shared/DESIGN.md, section Reproductions):

- ``reproductions.data``: the physics-based multi-modal simulator and real-data loaders,
- ``reproductions.networks``: architectures only,
- ``reproductions.losses`` and ``reproductions.metrics``,
- ``reproductions.methods``: one small module per method (``train_step``/``sample``/``translate``),
- ``reproductions.trainer``: the one training loop (AMP, channels_last, DDP, EMA, checkpoints),
- ``reproductions.runner`` and ``reproductions.claims``: what ``reviewdb reproduce`` and
  ``reviewdb claims`` run.
"""

__version__ = "0.1.0"
