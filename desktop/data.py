"""What the main window reads from the local store, in the shapes its models want.

``DataSource(store, role, username)`` adapts :class:`sync.store.Store` to the list models
(``persons(query, offset, limit) -> (rows, total)``), the area tree (``area_children(node)``), the
tag filter and the tag visibility rule (a tag the catalogue marks sensitive is shown only to the
roles it names: ``TagDef.visible_to(role)``), and the audit log. The tag catalogue comes from the
templates in force: the platform's published templates when the store holds them, else the
default templates shipped in ``resources/templates``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from desktop.i18n import language
from desktop.models.area_tree import AreaNode
from desktop.models.paged import Query
from forms.model import EntityKind, TagDef, Template
from forms.xlsform import load_template
from sync.store import Store, StoreError

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "resources" / "templates"

#: The main window's visit filter -> the store's ``visit`` argument.
VISIT_FILTER = {"visited": "any", "not_visited": "none"}
#: Store filters a tree node may carry.
AREA_KEYS = ("area", "estate", "building", "unit", "room", "house_id")


@cache
def default_template(kind: str) -> Template:
    return load_template(TEMPLATE_DIR / f"{kind}.xlsx")


def store_template(store: Store, kind: str) -> Template | None:
    """The newest template of ``kind`` the platform published into this store, if any."""
    try:
        found = store.library.template(kind)
    except Exception:
        return None
    blob = found.get("xlsx") if isinstance(found, Mapping) else found
    if not isinstance(blob, bytes | bytearray | memoryview) or not blob:
        return None
    try:
        return load_template(bytes(blob), filename=f"{kind}.xlsx")
    except Exception:
        return None  # a damaged template: keep working with the defaults


class DataSource:
    def __init__(self, store: Any, role: str, username: str = "") -> None:
        self.store = store
        self.role = role
        self.username = username
        self.tags: dict[str, TagDef] = {}
        for kind in (EntityKind.PERSON, EntityKind.HOUSE):
            template = store_template(store, kind.value) or default_template(kind.value)
            for tag in template.tags.values():
                self.tags.setdefault(tag.id, tag)

    # -- tags -------------------------------------------------------------------------------------------

    def tag_visible(self, tag_id: str) -> bool:
        tag = self.tags.get(tag_id)
        return tag is None or tag.visible_to(self.role)

    def tag_label(self, tag_id: str) -> str:
        tag = self.tags.get(tag_id)
        return tag.label(language()) if tag is not None else tag_id

    def tag_choices(self) -> list[tuple[str, str, str]]:
        """(id, label, scope) of the tags this role may see and filter by, catalogue order."""
        return [(t.id, t.label(language()), t.scope.value) for t in self.tags.values()
                if t.visible_to(self.role) and t.scope in (EntityKind.PERSON, EntityKind.HOUSE)]

    # -- lists ------------------------------------------------------------------------------------------

    @staticmethod
    def _arguments(query: Query, kind: str) -> dict[str, Any]:
        f = query.filters
        args: dict[str, Any] = {}
        area = f.get("area")
        if isinstance(area, Mapping):
            args.update({k: area[k] for k in AREA_KEYS if area.get(k) not in (None, "")})
        tag = f.get("house_tag" if kind == "house" else "tag")
        if tag:
            args["tags"] = [tag]
        if f.get("validation"):
            args["validation"] = f["validation"]
        if f.get("visit"):
            args["visit"] = VISIT_FILTER.get(f["visit"], f["visit"])
        if query.text:
            args["query"] = query.text
        return args

    @staticmethod
    def _sort(query: Query, default: str) -> tuple[str, str]:
        return (query.sort or default, "desc" if query.descending else "asc")

    def persons(self, query: Query, offset: int, limit: int) -> tuple[Sequence[Mapping[str, Any]], int]:
        return self.persons_on(self.store, query, offset, limit)

    @classmethod
    def houses_on(cls, store: Any, query: Query, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        page = store.lists.houses(**cls._arguments(query, "house"), sort=cls._sort(query, "address"),
                                 offset=offset, limit=limit)
        return _with_display_tags(page.rows), int(page.total)

    def houses(self, query: Query, offset: int, limit: int) -> tuple[Sequence[Mapping[str, Any]], int]:
        return self.houses_on(self.store, query, offset, limit)

    @classmethod
    def persons_on(cls, store: Any, query: Query, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """The person list of ``query`` read through ``store`` (a worker thread's own connection)."""
        page = store.lists.persons(**cls._arguments(query, "person"), sort=cls._sort(query, "name"),
                                  offset=offset, limit=limit)
        return _with_display_tags(page.rows), int(page.total)

    #: Rows of the records table read by one warm-up step (a few tens of milliseconds each, so a
    #: search typed meanwhile waits for one step at most).
    WARM_CHUNK = 10_000

    @classmethod
    def warm_search(cls, store: Any, after: int) -> int | None:
        """One step of filling ``store``'s page cache with what searching reads (run on the search
        thread's fresh connection, so the first searches do not pay for decrypting those pages).

        ``after=-1`` reads the search index; then each step reads the records after seq ``after``.
        Returns where the next step starts, or None when done (or when the store cannot be read
        this way: searches still work, only colder). Each step is one statement run inside SQLite,
        so the GUI thread keeps the interpreter meanwhile."""
        try:
            step: int | None = store.lists.warm_cache(after, cls.WARM_CHUNK)
        except StoreError:
            return None
        return step

    # -- area tree --------------------------------------------------------------------------------------

    def area_children(self, node: AreaNode | None) -> list[AreaNode]:
        found = self.store.lists.area_children(None if node is None else node.key)
        return [AreaNode(key=n.key, name=n.name, level=n.level, filters=dict(n.filters),
                         has_children=bool(n.has_children), count=n.houses if n.level != "room" else None)
                for n in found]

    # -- records and audit ------------------------------------------------------------------------------

    def describe(self, entity_id: str) -> str:
        """A short name for a record in dialogs: the person's name, or the house's address."""
        try:
            entity = self.store.entities.get(entity_id)
        except Exception:
            return entity_id
        data = entity.get("data") or {}
        return str(data.get("name") or data.get("address") or data.get("house_no") or entity_id)

    def audit(self, action: str, entity_id: str, detail: Mapping[str, str]) -> None:
        reason = detail.get("reason") if detail else None
        rest = {k: v for k, v in (detail or {}).items() if k != "reason"}
        self.store.audit.record(action, entity_id or None, field=rest.get("fields"), reason=reason,
                         detail=rest or None)

    @staticmethod
    def ping(client: Any) -> bool:
        """True when the platform answers (any HTTP answer counts: the network is there)."""
        try:
            response = client.session.get(client.server + "/api/v1/health", timeout=(3.0, 5.0))
        except Exception:
            return False
        return bool(response.status_code < 500)


def _with_display_tags(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Lists show the tags in force (auto ones included) when the store has computed them."""
    out = []
    for r in rows:
        row = dict(r)
        if row.get("tags_in_force") is not None:
            row["tags"] = row["tags_in_force"]
        out.append(row)
    return out
