"""From a spreadsheet cell as an office wrote it to the value a record stores (pure: no files, no
database). ``values.normalise`` turns one cell into a field's value with the problems found on the way
(each with a stable code and a message in Chinese and English); ``kinds.value_kind`` says how a field
is read (an ID number, a phone, a date, a choice…).

The data-in issue (imports of ledgers and 数据回流) builds reading, mapping, matching and the report
on top of these.
"""

from forms.ingest.issues import CellIssue
from forms.ingest.kinds import ValueKind, value_kind
from forms.ingest.values import Normalised, normalise

__all__ = ["CellIssue", "Normalised", "ValueKind", "normalise", "value_kind"]
