"""Reports built from the database for people to read: plain Python, no Qt.

Each report is an object with `as_dict()` (the JSON the command line prints), a plain-text
summary, and an Excel export written as a generator yielding `Progress`.
"""
