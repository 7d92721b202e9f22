"""The community dashboard, in two tabs. 「覆盖与进度」: the measures of the district dashboard for the
community, by grid and down to the grid's workers (:class:`~desktop.admin.drill_dashboard.DrillDashboard`
over ``GET /dashboard``). 「人口与标签」: totals, persons by child area, the most common tags, persons by
state, and the visits of the current cycle (coverage and overdue visits by grid and by worker), from
``GET /stats`` (the supervisor's community by default; a child area can be picked).

Both read in the background; :meth:`Dashboard.refresh` reads both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from desktop import i18n
from desktop.admin.drill_dashboard import DrillDashboard
from desktop.charts import bar_chart
from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QChart,
    QChartView,
    QComboBox,
    QFont,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPainter,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.review.api import ReviewApi, error_text
from desktop.review.values import STATE_NAMES
from desktop.workers import run_in_background

TOP_TAGS = 10
TOTALS = (("persons", "人口总数"), ("houses", "房屋总数"), ("households", "户数"), ("review_queue", "待审核提交"))
VISIT_COLUMNS = ("范围", "名称", "房屋", "已走访", "已核实", "逾期房屋", "逾期人员")


class TotalCard(QFrame):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"total_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel()
        self.value = QLabel("—")
        self.value.setObjectName("totalValue")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.8)
        big.setBold(True)
        self.value.setFont(big)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)


class Dashboard(QWidget):
    loaded = Signal()
    failed = Signal(str)

    def __init__(self, api: ReviewApi, root_name: str = "", tag_name: Callable[[str], str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.api = api
        #: A tag id as the catalogue labels it (in the current language).
        self.tag_name: Callable[[str], str] = tag_name or (lambda tag: tag)
        self.root_name = root_name
        self.stats: dict[str, Any] | None = None
        self._ticket = 0
        self.area = QComboBox()
        self.area.setObjectName("dashboardArea")
        self.area.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.area.addItem("", "")
        self.area.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.message = QLabel()
        self.message.setObjectName("dashboardMessage")
        self.message.setWordWrap(True)
        self.cards = {key: TotalCard(key) for key, _ in TOTALS}
        self.area_view = self._view("areaChart")
        self.tag_view = self._view("tagChart")
        self.state_view = self._view("stateChart")
        self.visit_caption = QLabel()
        self.visit_caption.setObjectName("visitCaption")
        self.visit_table = QTableWidget(0, len(VISIT_COLUMNS))
        self.visit_table.setObjectName("visitTable")
        self.visit_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.visit_table.verticalHeader().hide()
        self.visit_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.visit_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the name
        self.visit_table.setMinimumHeight(140)
        bar = QHBoxLayout()
        self.area_caption = QLabel()
        bar.addWidget(self.area_caption)
        bar.addWidget(self.area)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.message, 1)
        totals = QHBoxLayout()
        for card in self.cards.values():
            totals.addWidget(card)
        charts = QGridLayout()
        charts.addWidget(self.area_view, 0, 0)
        charts.addWidget(self.state_view, 1, 0)
        charts.addWidget(self.tag_view, 0, 1, 2, 1)
        charts.setColumnStretch(0, 1)
        charts.setColumnStretch(1, 1)
        self.coverage = DrillDashboard(lambda area, days: self.api.dashboard(area, days),
                                       lambda exc: error_text(exc, i18n.language()))
        overview = QWidget()
        overview.setObjectName("dashboardOverview")
        inner = QVBoxLayout(overview)
        inner.addLayout(bar)
        inner.addLayout(totals)
        inner.addLayout(charts, 1)
        inner.addWidget(self.visit_caption)
        inner.addWidget(self.visit_table)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dashboardTabs")
        self.tabs.addTab(self.coverage, "")
        self.tabs.addTab(overview, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        i18n.notifier().language_changed.connect(self.retranslate)
        self.retranslate()

    def _view(self, name: str) -> QChartView:
        view = QChartView()
        view.setObjectName(name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(320, 220)
        return view

    def selected_area(self) -> str:
        return str(self.area.currentData() or "")

    def refresh(self) -> None:
        """Read both tabs again (the coverage stays at the area it shows)."""
        self.coverage.reload()
        self._ticket += 1
        ticket, area = self._ticket, self.selected_area()
        self.refresh_button.setEnabled(False)
        self._say(tr("正在读取统计…"), error=False)
        run_in_background(lambda: self.api.stats(area or None), lambda s: self._loaded(ticket, area, s),
                          lambda e: self._failed(ticket, e), owner=self)

    def _loaded(self, ticket: int, area: str, stats: Any) -> None:
        if ticket != self._ticket:
            return
        self.refresh_button.setEnabled(True)
        self._say("", error=False)
        self.stats = dict(stats)
        if not area and self.area.count() == 1:  # the community's children become choices once
            self.area.blockSignals(True)
            for child in self.stats.get("by_area") or []:
                if isinstance(child, Mapping) and child.get("code"):
                    self.area.addItem(str(child.get("name") or child["code"]), str(child["code"]))
            self.area.blockSignals(False)
        self.show_stats()
        self.loaded.emit()

    def _failed(self, ticket: int, exc: BaseException) -> None:
        if ticket != self._ticket:
            return
        self.refresh_button.setEnabled(True)
        text = error_text(exc, i18n.language())
        self._say(text, error=True)
        self.failed.emit(text)

    def _say(self, text: str, error: bool) -> None:
        self.message.setStyleSheet("color:#b3261e" if error else "")
        self.message.setText(text)

    def show_stats(self) -> None:
        stats = self.stats
        if stats is None:
            return
        for key, _ in TOTALS:
            self.cards[key].value.setText(f"{int(stats.get(key) or 0):,}")
        font = QFont(self.font())
        children = [c for c in stats.get("by_area") or [] if isinstance(c, Mapping)]
        self._set(self.area_view, bar_chart(tr("各下级区域人口"), [str(c.get("name") or c.get("code")) for c in children],
                                            [int(c.get("persons") or 0) for c in children], font))
        tags = sorted(((str(k), int(v)) for k, v in (stats.get("by_tag") or {}).items()),
                      key=lambda kv: (-kv[1], kv[0]))[:TOP_TAGS]
        tags.reverse()  # a horizontal chart draws its first category at the bottom: the largest goes on top
        self._set(self.tag_view, bar_chart(tr("最常见的标签（前 {n} 个）", n=TOP_TAGS),
                                           [self.tag_name(k) for k, _ in tags], [v for _, v in tags], font,
                                           horizontal=True))
        states = [(k, int(v)) for k, v in (stats.get("by_state") or {}).items()]
        order = list(STATE_NAMES)
        states.sort(key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        self._set(self.state_view, bar_chart(tr("人员状态"), [tr(STATE_NAMES.get(k, k)) for k, _ in states],
                                             [v for _, v in states], font))

        self._show_visits(stats.get("visits"))

    def _show_visits(self, visits: Any) -> None:
        """Coverage of the cycle and overdue visits: a row per grid, then a row per worker."""
        if not isinstance(visits, Mapping):
            self.visit_caption.setText(tr("走访：平台未提供走访统计"))
            self.visit_table.setRowCount(0)
            return
        cycle = visits.get("cycle") if isinstance(visits.get("cycle"), Mapping) else {}
        houses = int(visits.get("houses") or 0)
        verified = int(visits.get("houses_verified") or 0)
        share = f"{verified * 100 // houses}%" if houses else "—"
        self.visit_caption.setText(tr(
            "本周期（{cycle}）走访：已核实房屋 {verified} / {houses}（{share}），逾期未访 {oh} 户房屋、{op} 人",
            cycle=cycle.get("label") or "", verified=verified, houses=houses, share=share,
            oh=int(visits.get("overdue_houses") or 0), op=int(visits.get("overdue_persons") or 0)))
        rows: list[tuple[str, ...]] = []
        for g in visits.get("by_grid") or []:
            if isinstance(g, Mapping):
                rows.append((tr("网格"), str(g.get("name") or g.get("grid") or ""), str(g.get("houses") or 0),
                             str(g.get("houses_visited") or 0), str(g.get("houses_verified") or 0),
                             str(g.get("overdue_houses") or 0), str(g.get("overdue_persons") or 0)))
        for u in visits.get("by_user") or []:
            if isinstance(u, Mapping):
                rows.append((tr("网格员"), str(u.get("display_name") or u.get("username") or ""), "",
                             str(u.get("visits") or 0), "", str(u.get("overdue_houses") or 0),
                             str(u.get("overdue_persons") or 0)))
        self.visit_table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.visit_table.setItem(r, c, item)

    @staticmethod
    def _set(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    def retranslate(self, _lang: str = "") -> None:
        self.tabs.setTabText(0, tr("覆盖与进度"))
        self.tabs.setTabText(1, tr("人口与标签"))
        self.area_caption.setText(tr("区域："))
        self.area.setItemText(0, tr("全社区") + (f"（{self.root_name}）" if self.root_name else ""))
        self.refresh_button.setText(tr("刷新"))
        for key, caption in TOTALS:
            self.cards[key].caption.setText(tr(caption))
        self.visit_table.setHorizontalHeaderLabels([tr(c) for c in VISIT_COLUMNS])
        self.show_stats()
