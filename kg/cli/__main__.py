"""`python -m kg.cli`: the same as the `iokg` command."""
from kg.cli.main import main

main()
