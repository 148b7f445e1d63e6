"""Run the command line with `python -m c360tui`."""

from c360tui.entry import main

if __name__ == "__main__":  # not when a worker process imports the main module
    main()
