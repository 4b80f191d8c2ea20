"""`python -m worksheets`."""

from .cli import main

main()
