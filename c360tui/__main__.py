"""Run the command line with `python -m c360tui`."""

from c360tui.entry import main

main()
