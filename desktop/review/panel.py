"""One submission under review: what it changes, what the worker's check said, approve or return.

Everything from the platform is fetched with :func:`desktop.workers.run_in_background`; failures are
shown as a sentence in the panel (``message``), never a traceback. An approval that meets a master
record changed since the worker's edit (409) is explained, the conflicts are marked, and returning
it is suggested.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from desktop import i18n
from desktop.editor.session import FormSession
from desktop.i18n import tr
from desktop.masking import Masker, ask_reveal
from desktop.qt import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    is_valid_qt_object,
)
from desktop.review.api import ReviewApi, error_text, is_conflict
from desktop.review.change_view import ChangeView
from desktop.review.decision_dialog import FieldRef, HistoryDialog, ReturnDialog
from desktop.review.queue_model import check_text, entities_text, local_time
from desktop.review.values import STATUS_NAMES, field_label, record_namer, show_value
from desktop.review.versions_note import version_lines
from desktop.workers import run_in_background

CONFLICT_TEXT = "无法通过：{reason}。冲突的字段已标红；建议退回给网格员核实后重新提交。"


class ReviewPanel(QWidget):
    loaded = Signal(str)        # a submission's detail is shown
    decided = Signal(str, str)  # submission id, "approved" | "returned"
    failed = Signal(str)        # a readable message (also shown in ``message``)
    history_shown = Signal(str)

    def __init__(self, api: ReviewApi, forms: FormSession, masker: Masker,
                 area_names: dict[str, str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.api = api
        self.forms = forms
        self.masker = masker
        self.area_names = area_names or {}
        self.submission_id = ""
        self.detail: dict[str, Any] | None = None
        self.visits: dict[str, Any] | None = None
        self.views: list[ChangeView] = []
        self.busy = False
        self.history_dialog: HistoryDialog | None = None
        self._ask_reason: Callable[[str], str | None] = lambda who: ask_reveal(who, self)
        self._ticket = 0
        #: Said after the next load (the outcome of a decision, while the queue moves on).
        self._notice = ""

        self.header = QLabel()
        self.header.setObjectName("reviewHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.issues = QLabel()
        self.issues.setObjectName("reviewIssues")
        self.issues.setWordWrap(True)
        self.issues.setStyleSheet("color:#8a4b00")
        self.message = QLabel()
        self.message.setObjectName("reviewMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        self.approve_button = QPushButton()
        self.approve_button.setObjectName("approveButton")
        self.approve_button.clicked.connect(self.approve)
        self.return_button = QPushButton()
        self.return_button.setObjectName("returnButton")
        self.return_button.clicked.connect(self.ask_return)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.approve_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.issues)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        masker.changed.connect(self._rerender)
        i18n.notifier().language_changed.connect(self.retranslate)
        self.retranslate()
        self.show_detail(None)

    # -- loading --------------------------------------------------------------------------------

    def load(self, submission_id: str, notice: str = "") -> None:
        """Fetch and show ``submission_id``; ``notice`` is shown once it is there."""
        self.submission_id = submission_id
        self._ticket += 1
        ticket = self._ticket
        notice, self._notice = notice or self._notice, ""
        if not submission_id:
            self.show_detail(None)
            self._say(notice)
            return
        self._say(notice or tr("正在读取提交…"))
        run_in_background(lambda: self.api.detail(submission_id),
                          lambda d: self._loaded(ticket, d, notice), lambda e: self._failed(ticket, e),
                          owner=self)

    def _loaded(self, ticket: int, detail: Any, notice: str) -> None:
        if ticket != self._ticket:
            return
        self.show_detail(detail)
        self._say(notice)
        self._load_visits(ticket, detail)
        self.loaded.emit(self.submission_id)

    def _load_visits(self, ticket: int, detail: Any) -> None:
        """The visits of the submission's house (or person) under the header: the supervisor sees
        whether the worker was there, when, and with what result."""
        entities = [e for e in (detail or {}).get("entities") or [] if isinstance(e, dict)]
        target = next((e for e in entities if e.get("kind") == "house"), None) or next(
            (e for e in entities if e.get("kind") == "person"), None)
        if target is None:
            return
        entity_id = str(target.get("entity_id") or "")
        run_in_background(lambda: self.api.visits(entity_id), lambda v: self._visits(ticket, v), lambda _e: None,
                          owner=self)

    def _visits(self, ticket: int, body: Any) -> None:
        if ticket != self._ticket or self.detail is None or not is_valid_qt_object(self.header):
            return  # another submission is shown by now, or the panel is gone
        self.visits = body
        items = [v for v in body.get("items") or [] if isinstance(v, dict)]
        verified = (body.get("verification") or {}).get("verified") if isinstance(body.get("verification"), dict) else False
        if items:
            seen = "；".join(
                f"{v.get('date')} {tr(str(v.get('result') or ''))}"
                f"（{(v.get('author') or {}).get('display_name') or ''}）" for v in items[:5])
            text = tr("走访：{visits}", visits=seen)
        else:
            text = tr("走访：本房屋尚无走访记录")
        if verified:
            text += tr("（本周期已核实）")
        self.header.setText(self._header_html(self.detail) + "<br>" + escape(text))

    def _failed(self, ticket: int, exc: BaseException) -> None:
        if ticket != self._ticket:
            return
        self.busy = False
        self._update_buttons()
        self._error(error_text(exc, i18n.language()))

    def show_detail(self, detail: dict[str, Any] | None) -> None:
        self.detail = detail
        self.visits = None
        for view in self.views:
            self.body_layout.removeWidget(view)
            view.hide()
            view.deleteLater()
        self.views = []
        if detail is None:
            self.header.setText(tr("在审核队列中选择一条提交，查看修改内容。"))
            self.issues.hide()
            self._update_buttons()
            return
        self.header.setText(self._header_html(detail))
        issues = [i for i in detail.get("issues") or [] if isinstance(i, dict)]
        self.issues.setText(tr("现在通过会遇到的问题：") + "\n" + "\n".join(
            "· " + str(i.get("message") if i18n.language() != "en" else i.get("message_en") or i.get("message"))
            for i in issues))
        self.issues.setVisible(bool(issues))
        lang = i18n.language()
        for change in detail.get("changes") or []:
            if not isinstance(change, dict):
                continue
            template = self.forms.template(str(change.get("kind"))) if change.get("kind") in (
                "person", "house", "household") else None
            view = ChangeView(change, template, lang, self.masker.is_revealed, record_namer(self.forms.store))
            view.history_requested.connect(self.show_history)
            view.reveal_requested.connect(self.reveal)
            self.body_layout.insertWidget(self.body_layout.count() - 1, view)
            self.views.append(view)
        self._update_buttons()

    def _header_html(self, d: dict[str, Any]) -> str:
        """Who, where, when, what and the worker's note (text from others is escaped: it is rich text)."""
        author = d.get("author")
        who = str(author.get("display_name") or author.get("username") or "") if isinstance(author, dict) else ""
        grid = str(d.get("grid") or "")
        status = str(d.get("status") or "")

        def row(label: str, value: object) -> str:
            return f"<b>{escape(tr(label))}</b>：{escape(str(value))}"

        lines = ["　".join((row("提交人", who), row("网格", self.area_names.get(grid, grid)),
                            row("提交时间", local_time(d.get("submitted_at") or d.get("received_at"))),
                            row("状态", tr(STATUS_NAMES.get(status, status))))),
                 row("记录", entities_text(d.get("entities"))),
                 row("检查结果", check_text(d.get("client_validation")))]
        lines.extend(version_lines(d))  # the template version it was made under, values left over
        if d.get("note"):
            lines.append(row("说明", d.get("note")))
        decision = d.get("decision")
        if isinstance(decision, dict) and decision.get("status"):
            said = tr("{who} 于 {at} {what}", who=decision.get("decided_by") or "",
                      at=local_time(decision.get("decided_at")),
                      what=tr(STATUS_NAMES.get(str(decision["status"]), str(decision["status"]))))
            if decision.get("comment"):
                said += f"：{decision.get('comment')}"
            lines.append(escape(said))
        return "<br>".join(lines)

    # -- deciding -------------------------------------------------------------------------------

    def can_decide(self) -> bool:
        return self.detail is not None and self.detail.get("status") == "pending" and not self.busy

    def approve(self) -> None:
        if not self.can_decide():
            return
        sid = self.submission_id
        self._start(tr("正在提交审核结果…"))
        run_in_background(lambda: self.api.approve(sid), lambda r: self._done(sid, r),
                          lambda e: self._decision_failed(sid, e), owner=self)

    def selected_fields(self) -> list[FieldRef]:
        out: list[FieldRef] = []
        for view in self.views:
            record = str(view.change.get("label") or view.entity_id)
            out += [(view.entity_id, record, name, label, after) for name, label, after in view.selected_fields()]
        return out

    def ask_return(self) -> None:
        if not self.can_decide():
            return
        dialog = ReturnDialog(self.selected_fields(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.send_back(dialog.comment(), dialog.comments())

    def send_back(self, comment: str, comments: list[dict[str, str]]) -> None:
        if not self.can_decide():
            return
        sid = self.submission_id
        self._start(tr("正在退回…"))
        run_in_background(lambda: self.api.send_back(sid, comment, comments), lambda r: self._done(sid, r),
                          lambda e: self._decision_failed(sid, e), owner=self)

    def _start(self, text: str) -> None:
        self.busy = True
        self._update_buttons()
        self._say(text)

    def _done(self, sid: str, result: Any) -> None:
        self.busy = False
        status = str(result.get("status") if isinstance(result, dict) else "")
        text = tr("已通过，平台已更新主记录。") if status == "approved" else tr("已退回给网格员。")
        self._say(text)
        self._notice = text  # said again when the next submission is shown
        if sid == self.submission_id and self.detail is not None and status:
            self.show_detail({**self.detail, "status": status})
        self.decided.emit(sid, status)

    def _decision_failed(self, sid: str, exc: BaseException) -> None:
        self.busy = False
        self._update_buttons()
        if is_conflict(exc):
            reason = getattr(exc, "server_message", "") if i18n.language() == "zh" else getattr(exc, "message_en", "")
            text = tr(CONFLICT_TEXT, reason=reason or tr("有冲突"))
            self._error(text)
            if sid == self.submission_id:  # show the conflict markers; keep the message
                sub = sid
                run_in_background(lambda: self.api.detail(sub), lambda d: self._refreshed(sub, d, text),
                                  lambda _e: None, owner=self)
            return
        self._error(error_text(exc, i18n.language()))

    def _refreshed(self, sid: str, detail: Any, text: str) -> None:
        if sid == self.submission_id:
            self.show_detail(detail)
            self._error(text)

    # -- history, reveal ------------------------------------------------------------------------

    def show_history(self, entity_id: str) -> None:
        view = next((v for v in self.views if v.entity_id == entity_id), None)
        if view is None:
            return
        self._say(tr("正在读取修改历史…"))
        run_in_background(lambda: self.api.history(entity_id), lambda h: self._history(view, h),
                          lambda e: self._error(error_text(e, i18n.language())), owner=self)

    def _history(self, view: ChangeView, history: Any) -> None:
        self._say("")
        lang = i18n.language()
        revealed = self.masker.is_revealed(view.entity_id)
        dialog = HistoryDialog(str(view.change.get("label") or view.entity_id), history,
                               lambda n: field_label(view.template, n, lang),
                               lambda n, v: show_value(view.template, n, v, lang, revealed, view.describe), self)
        self.history_dialog = dialog
        dialog.show()
        self.history_shown.emit(view.entity_id)

    def reveal(self, entity_id: str) -> None:
        view = next((v for v in self.views if v.entity_id == entity_id), None)
        reason = self._ask_reason(str(view.change.get("label") if view else entity_id))
        if not reason:
            return
        try:
            self.masker.reveal(entity_id, reason)
        except Exception as exc:  # nothing is shown when the reveal could not be logged
            self._error(tr("无法记录审计日志，未显示：{error}", error=str(exc)))

    # -- text -----------------------------------------------------------------------------------

    def _rerender(self) -> None:
        for view in self.views:
            view.fill()

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _error(self, text: str) -> None:
        self.message.setStyleSheet("color:#b3261e")
        self.message.setText(text)
        self.failed.emit(text)

    def _update_buttons(self) -> None:
        ok = self.can_decide()
        self.approve_button.setEnabled(ok)
        self.return_button.setEnabled(ok)

    def retranslate(self, _lang: str = "") -> None:
        self.approve_button.setText(tr("通过"))
        self.return_button.setText(tr("退回…"))
        if self.detail is not None:
            self.show_detail(self.detail)
        elif not self.submission_id:
            self.header.setText(tr("在审核队列中选择一条提交，查看修改内容。"))
