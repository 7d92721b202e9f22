"""Imports (data in): a district's ledgers and the departments' returned lists, read with
:mod:`forms.ingest`, matched to the platform's entities, validated with the submission engine, shown
as a dry run and applied all or nothing.

- :mod:`.options`: what the admin asked for (kind, mode, source, mapping, on-error policy).
- :mod:`.match`: rows -> patches (persons by 公民身份号码, new persons placed in a grid).
- :mod:`.check`: the whole pass over a file: per-row outcome and located issues, the plans to apply.
- :mod:`.apply`: writing the plans in one transaction, with the import as the source of history.
- :mod:`.jobs`: background jobs with progress (a thread of the server; no request waits on a file).
- :mod:`.mappings`: saved column mappings (one per department's file layout).
"""
