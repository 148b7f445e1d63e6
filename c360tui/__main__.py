"""Run the command line with `python -m c360tui`."""

from c360tui.cli import main

main()
