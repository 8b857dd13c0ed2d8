"""`python -m send_desktop` and the `send-desktop` entry point."""

import sys


def main(argv=None) -> int:
    from send_desktop.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
