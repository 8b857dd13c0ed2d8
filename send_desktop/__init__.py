"""send-desktop: an offline tool for SEND improvement boards."""

__version__ = "0.1.0"
APP_NAME = "send-desktop"
