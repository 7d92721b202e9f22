"""The queue above, the selected submission below: the supervisor's review screen."""

from __future__ import annotations

from desktop.editor.session import FormSession
from desktop.masking import Masker
from desktop.qt import QSplitter, Qt, QVBoxLayout, QWidget
from desktop.review.api import ReviewApi
from desktop.review.panel import ReviewPanel
from desktop.review.queue_view import ReviewQueueView


class ReviewScreen(QWidget):
    """Choosing a row opens it in the panel; after a decision the queue is read again."""

    def __init__(self, api: ReviewApi, forms: FormSession, masker: Masker,
                 area_names: dict[str, str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewScreen")
        self.queue = ReviewQueueView(api, area_names)
        self.panel = ReviewPanel(api, forms, masker, area_names)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("reviewSplitter")
        self.splitter.addWidget(self.queue)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self.queue.selected.connect(self._chosen)
        self._reload = False
        self.panel.decided.connect(lambda _sid, _status: self._decided())

    def _decided(self) -> None:
        self._reload = True  # the queue moves on; whatever it selects next is read afresh
        self.queue.refresh()

    def _chosen(self, submission_id: str) -> None:
        if self._reload or submission_id != self.panel.submission_id or self.panel.detail is None:
            self._reload = False
            self.panel.load(submission_id)

    def refresh(self) -> None:
        self.queue.refresh()
