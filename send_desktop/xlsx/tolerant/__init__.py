"""Reading officers' own workbooks: the pieces every kind of tolerant import shares.

The application's own exports are read by `book_reader` against a fixed layout. A workbook an
officer built is different every time: a title and a key above the header, banner rows for
priorities and outcomes, a "RAG" column whose colour is the only status, dates typed as text.
These modules turn such a sheet into plain values, without Qt, so each kind (plan, risks, KPIs,
action log) needs only its own mapping of rows to records:

- `grid`: the cells (python-calamine, fast) and the structure calamine does not give (hidden
  rows, formulas without a saved value, fill colours), from one scan of the sheet's XML;
- `headers`: the column vocabulary per kind with its common variants, finding the header row,
  the header signature and `ColumnMapping`, which the user can complete;
- `values`: placeholders ("TBC", "N/A"), numbers written as text, dates, multi-line lists;
- `names`: names that differ only in case, punctuation, spacing or a plural;
- `scales`: statuses as labels, codes, synonyms or colours, and a new plan's scale from them;
- `similar`: how alike two short texts are, and rows paired with records by their wording;
- `mappings`: remembered mappings, per header signature, in the database's meta table.
"""
