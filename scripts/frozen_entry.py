"""The frozen app's entry point (build.spec): the same `main` as the `send-desktop` command."""

import sys

from send_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
