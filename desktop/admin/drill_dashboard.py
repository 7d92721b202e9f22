"""Coverage with drill-down: the measures of ``GET /dashboard`` for one area, one row per child area
(district → street → community → grid → the grid's workers). Enter or a double-click on a row opens
it, and so does a click on its bar in a chart; the breadcrumb (or Backspace) goes back up; 刷新 reads again (the admin window's F5 too). Charts: houses verified (%) and the
review backlog by child; below, the workers who have not synced for N days.

``fetch(area, stale_days)`` runs off the GUI thread (``area`` None: the caller's own area). Used by the
admin's dashboard screen and by the supervisor's community dashboard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from desktop import i18n
from desktop.admin.models.dashboard import area_model, coverage, stale_model
from desktop.charts import bar_chart
from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QChartView,
    QFont,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QModelIndex,
    QPainter,
    QPushButton,
    QShortcut,
    QSpinBox,
    Qt,
    QTableView,
    QValueAxis,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.workers import run_in_background

Fetch = Callable[[str | None, int], Mapping[str, Any]]


class DrillDashboard(QWidget):
    loaded = Signal()
    failed = Signal(str)

    def __init__(self, fetch: Fetch, error_text: Callable[[BaseException], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drillDashboard")
        self.fetch = fetch
        self.error_text = error_text
        self.body: dict[str, Any] | None = None
        self.area: str | None = None  # None: the caller's own area
        self._ticket = 0
        self.crumbs = QHBoxLayout()
        self.crumbs.setSpacing(4)
        crumb_box = QWidget()
        crumb_box.setObjectName("breadcrumb")
        crumb_box.setLayout(self.crumbs)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("drillRefresh")
        self.refresh_button.clicked.connect(lambda: self.reload())
        self.stale_caption = QLabel()
        self.stale_days = QSpinBox()
        self.stale_days.setObjectName("staleDays")
        self.stale_days.setRange(1, 365)
        self.stale_days.setValue(3)
        self.stale_days.valueChanged.connect(lambda _v: self.reload())
        self.message = QLabel()
        self.message.setObjectName("drillMessage")
        self.message.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("drillSummary")
        self.summary.setWordWrap(True)
        self.model = area_model()
        self.table = self._table("drillTable", self.model)
        self.table.activated.connect(self._open)  # Enter (and a double-click where the style says so)
        self.table.doubleClicked.connect(self._open)
        self.stale = stale_model()
        self.stale_title = QLabel()
        self.stale_title.setObjectName("staleTitle")
        self.stale_table = self._table("staleTable", self.stale)
        self.coverage_view = self._chart("coverageChart")
        self.backlog_view = self._chart("backlogChart")
        bar = QHBoxLayout()
        bar.addWidget(crumb_box)
        bar.addStretch(1)
        bar.addWidget(self.stale_caption)
        bar.addWidget(self.stale_days)
        bar.addWidget(self.refresh_button)
        charts = QGridLayout()
        charts.addWidget(self.coverage_view, 0, 0)
        charts.addWidget(self.backlog_view, 0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 3)
        layout.addLayout(charts, 2)
        layout.addWidget(self.stale_title)
        layout.addWidget(self.stale_table, 1)
        QShortcut(QKeySequence(Qt.Key.Key_Backspace), self, self.up, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        i18n.notifier().language_changed.connect(self.retranslate)
        self.retranslate()

    @staticmethod
    def _table(name: str, model: Any) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name takes the room
        view.setMinimumHeight(120)
        return view

    @staticmethod
    def _chart(name: str) -> QChartView:
        view = QChartView()
        view.setObjectName(name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(300, 200)
        return view

    # --- loading --------------------------------------------------------------------------------
    def load(self, area: str | None) -> None:
        """Show ``area`` (None: the caller's own area), read in the background."""
        self.area = area
        self.reload()

    def reload(self) -> None:
        self._ticket += 1
        ticket, area, days = self._ticket, self.area, self.stale_days.value()
        self.refresh_button.setEnabled(False)
        self._say(tr("正在读取统计…"), error=False)
        run_in_background(lambda: self.fetch(area, days), lambda body: self._loaded(ticket, body),
                          lambda exc: self._failed(ticket, exc), owner=self)

    def _loaded(self, ticket: int, body: Any) -> None:
        if ticket != self._ticket:
            return
        self.refresh_button.setEnabled(True)
        self._say("", error=False)
        self.body = dict(body)
        self.show_body()
        self.loaded.emit()

    def _failed(self, ticket: int, exc: BaseException) -> None:
        if ticket != self._ticket:
            return
        self.refresh_button.setEnabled(True)
        text = self.error_text(exc)
        self._say(text, error=True)
        self.failed.emit(text)

    def _say(self, text: str, error: bool) -> None:
        self.message.setStyleSheet("color:#b3261e" if error else "")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- navigation -----------------------------------------------------------------------------
    def can_open(self) -> bool:
        return self.body is not None and self.body.get("child_level") == "area"

    def _open(self, index: QModelIndex) -> None:
        if index.isValid() and self.can_open():
            code = str(self.model.row(index.row()).get("code"))
            if code != self.area:  # one double-click may arrive as both signals
                self.load(code)

    def open_row(self, row: int) -> None:
        self._open(self.model.index(row, 0))

    def path(self) -> list[Mapping[str, Any]]:
        return [p for p in (self.body or {}).get("path") or [] if isinstance(p, Mapping)]

    def up(self) -> None:
        """One level up the breadcrumb (nothing above the caller's own area)."""
        path = self.path()
        if len(path) >= 2:
            self.load(str(path[-2]["code"]))

    def _rebuild_crumbs(self) -> None:
        while self.crumbs.count():
            item = self.crumbs.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)  # out of the tree now (findChild, focus), freed later
                widget.deleteLater()
        path = self.path()
        for i, step in enumerate(path):
            name = str(step.get("name") or step.get("code"))
            if i:
                self.crumbs.addWidget(QLabel("›"))
            if i == len(path) - 1:
                here = QLabel(f"<b>{name}</b>")
                here.setObjectName("crumbHere")
                self.crumbs.addWidget(here)
            else:
                button = QPushButton(name)
                button.setObjectName(f"crumb_{step['code']}")
                button.setFlat(True)
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.clicked.connect(lambda _c=False, code=str(step["code"]): self.load(code))
                self.crumbs.addWidget(button)

    # --- showing --------------------------------------------------------------------------------
    def show_body(self) -> None:
        body = self.body
        if body is None:
            return
        self._rebuild_crumbs()
        rows = [r for r in body.get("rows") or [] if isinstance(r, Mapping)]
        self.model.set_rows(rows)
        totals: Mapping[str, Any] = body["totals"] if isinstance(body.get("totals"), Mapping) else {}
        cycle: Mapping[str, Any] = body["cycle"] if isinstance(body.get("cycle"), Mapping) else {}
        share = coverage(totals)
        self.summary.setText(tr(
            "本周期（{cycle}）：人口 {persons}，房屋 {houses}，已核实房屋 {verified}（{share}），已核实人员 {pv}；"
            "有校验错误 {invalid} 条，待审核 {backlog} 条（最久 {age} 天），退回未改 {returned} 条",
            cycle=cycle.get("label") or "", persons=f"{int(totals.get('persons') or 0):,}",
            houses=f"{int(totals.get('houses') or 0):,}", verified=f"{int(totals.get('houses_verified') or 0):,}",
            share="—" if share is None else f"{share}%", pv=f"{int(totals.get('persons_verified') or 0):,}",
            invalid=int(totals.get("invalid") or 0), backlog=int(totals.get("backlog") or 0),
            age="—" if totals.get("backlog_age_days") is None else totals.get("backlog_age_days"),
            returned=int(totals.get("returned") or 0)))
        font = QFont(self.font())
        labels = [str(r.get("name") or r.get("code")) for r in rows]
        many = len(rows) > 12
        shares = bar_chart(tr("房屋核实率（%）"), labels, [coverage(r) or 0 for r in rows], font, horizontal=many)
        for axis in shares.axes():
            if isinstance(axis, QValueAxis):
                axis.setRange(0, 100)  # a share: the whole scale, so that 30% looks like 30%
        self._set(self.coverage_view, shares)
        backlog = bar_chart(tr("待审核提交"), labels, [int(r.get("backlog") or 0) for r in rows], font, horizontal=many)
        self._set(self.backlog_view, backlog)
        if self.can_open():  # a click on a child's bar opens it, as its row does
            for chart in (shares, backlog):
                for bars in chart.series()[0].barSets():
                    bars.clicked.connect(self.open_row)
        stale = [w for w in body.get("stale_workers") or [] if isinstance(w, Mapping)]
        self.stale.set_rows(stale)
        self._stale_title()

    def _stale_title(self) -> None:
        body = self.body or {}
        total = int(body.get("stale_total") or 0)
        shown = self.stale.rowCount()
        days = body.get("stale_days") or self.stale_days.value()
        text = tr("未同步超过 {days} 天的网格员：{n} 人", days=days, n=total)
        if total > shown:
            text += tr("（列出最久的 {shown} 人）", shown=shown)
        self.stale_title.setText(text)

    @staticmethod
    def _set(view: QChartView, chart: Any) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    def retranslate(self, _lang: str = "") -> None:
        self.refresh_button.setText(tr("刷新"))
        self.stale_caption.setText(tr("未同步天数阈值："))
        self.model.retranslate()
        self.stale.retranslate()
        if self.body is not None:
            self.show_body()
        else:
            self._stale_title()
