"""spaCy pipeline components of iokg, one per module, each registered with @Language.factory."""
