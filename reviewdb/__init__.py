"""reviewdb: a literature-mining and review database for generative models in medical
image creation and translation."""

__version__ = "0.1.0"
