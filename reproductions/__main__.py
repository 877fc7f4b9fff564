"""``python -m reproductions reproduce pix2pix --quick`` (same commands as ``reviewdb``)."""

from reproductions.cli import app

app()()
