"""iokg: a knowledge graph of online influence operations built from takedown reports."""

__version__ = "0.1.0"
