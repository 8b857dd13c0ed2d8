"""Errors a user may meet. Each carries a message fit to show as it is; anything else is a bug."""

from __future__ import annotations

from typing import NamedTuple


class UserError(Exception):
    """A problem with the user's file, input or environment, explained in plain words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NewerDatabaseError(UserError):
    pass


class DatabaseOpenError(UserError):
    pass


class ReadOnlyError(UserError):
    pass


class Problem(NamedTuple):
    """One thing wrong in an input file, located as precisely as we can."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class BadInputError(UserError):
    """An input file that cannot be used; nothing was changed."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems: list[Problem] = list(problems or [])


class Cancelled(Exception):
    """Raised inside long work when the user pressed Cancel; the transaction is rolled back."""
