"""The 一表通 domain: template model, XLSForm loader, expression language, validation and tags.

Pure Python: nothing here imports Qt, opens a network connection or a database, and nothing here
imports ``sync`` or ``desktop``. The rooms, from the bottom up (each may import only the ones above it
in this list; ``tests/test_layering.py`` keeps it so):

- ``forms.errors``, ``forms.cn`` (Chinese identifiers: ID numbers, mobiles, USCC, disability
  certificates), ``forms.model`` (the template model: fields, groups, choices, tags, rules),
  ``forms.codelists``, ``forms.graph`` (entities and the graph of their links), ``forms.life_events``
  (what moving out, death and birth set on a person's record);
- ``forms.expr``: the expression language (parse, compile, evaluate);
- ``forms.xlsform``: reading an XLSForm workbook into a ``Template``;
- ``forms.validate``: validation of records against templates, tags, relevance;
- ``forms.visits``: verification cycles and visit plans (dates and tag intervals only);
- ``forms.build_templates``: the default templates built from their CSV sources;
- ``forms.synth``: synthetic demo districts (demo data, not domain);
- ``forms.cli``: the ``ybt template|expr|validate`` commands.
"""
