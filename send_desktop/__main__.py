"""`python -m send_desktop` and the `send-desktop` entry point."""

import sys


def main(argv=None) -> int:
    import gc

    # Start-up makes hundreds of thousands of objects that live as long as the program (Qt's
    # Python enums, classes, functions); collecting them over and over as they are made costs
    # about 5% of the start. The window turns collection back on once it has painted
    # (`ui.app.after_first_paint`); a command turns it on before it starts work.
    gc.disable()
    from send_desktop.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
