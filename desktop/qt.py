"""The one door to Qt: every other desktop module imports Qt names from here.

Keeping PySide6 behind this module means the rest of the app (and the layering test) can tell at a
glance what Qt it uses, and a later switch of binding or version touches one file.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QItemSelectionModel,
    QLibraryInfo,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRunnable,
    QSize,
    QSortFilterProxyModel,
    QStandardPaths,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QColor,
    QDesktopServices,
    QFont,
    QFontDatabase,
    QFontInfo,
    QGuiApplication,
    QIcon,
    QImage,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QStyleFactory,
    QTableView,
    QTabWidget,
    QToolBar,
    QToolButton,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid as is_valid_qt_object

__all__ = [
    "QAbstractItemModel",
    "QAbstractItemView",
    "QAbstractListModel",
    "QAbstractTableModel",
    "QAction",
    "QActionGroup",
    "QApplication",
    "QByteArray",
    "QCheckBox",
    "QCloseEvent",
    "QColor",
    "QComboBox",
    "QCoreApplication",
    "QDesktopServices",
    "QDialog",
    "QDialogButtonBox",
    "QDockWidget",
    "QElapsedTimer",
    "QEvent",
    "QFileDialog",
    "QFont",
    "QFontDatabase",
    "QFontInfo",
    "QFormLayout",
    "QFrame",
    "QGridLayout",
    "QGroupBox",
    "QGuiApplication",
    "QHBoxLayout",
    "QHeaderView",
    "QIcon",
    "QImage",
    "QInputDialog",
    "QInputMethodEvent",
    "QItemSelectionModel",
    "QKeyEvent",
    "QKeySequence",
    "QLabel",
    "QLibraryInfo",
    "QLineEdit",
    "QListView",
    "QLocale",
    "QMainWindow",
    "QMenu",
    "QMessageBox",
    "QModelIndex",
    "QObject",
    "QPainter",
    "QPalette",
    "QPersistentModelIndex",
    "QPixmap",
    "QPlainTextEdit",
    "QPoint",
    "QProgressBar",
    "QPushButton",
    "QRect",
    "QRunnable",
    "QShortcut",
    "QSize",
    "QSizePolicy",
    "QSortFilterProxyModel",
    "QSpinBox",
    "QSplitter",
    "QStackedWidget",
    "QStandardItem",
    "QStandardItemModel",
    "QStandardPaths",
    "QStatusBar",
    "QStyleFactory",
    "QTabWidget",
    "QTableView",
    "QThread",
    "QThreadPool",
    "QTimer",
    "QToolBar",
    "QToolButton",
    "QTreeView",
    "QTreeWidget",
    "QTreeWidgetItem",
    "QUrl",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
    "is_valid_qt_object",
]

# --- Names used by the record editor, the life-event dialogs and the sync screens. ---
from PySide6.QtCore import QT_TR_NOOP, QDate, QRegularExpression, QStringListModel, QTranslator
from PySide6.QtGui import QDoubleValidator, QIntValidator, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCalendarWidget,
    QCompleter,
    QDateEdit,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QRadioButton,
    QScrollArea,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QWidgetAction,
)

__all__ += [
    "QT_TR_NOOP",
    "QAbstractButton",
    "QButtonGroup",
    "QCalendarWidget",
    "QCompleter",
    "QDate",
    "QDateEdit",
    "QDoubleValidator",
    "QIntValidator",
    "QLayout",
    "QListWidget",
    "QListWidgetItem",
    "QProgressDialog",
    "QRadioButton",
    "QRegularExpression",
    "QRegularExpressionValidator",
    "QScrollArea",
    "QStringListModel",
    "QStyledItemDelegate",
    "QTableWidget",
    "QTableWidgetItem",
    "QTextEdit",
    "QTranslator",
    "QWidgetAction",
]


# --- Names used by the review queue and the dashboard (desktop/review/). ---
from PySide6.QtCharts import (  # noqa: E402  (after the __all__ += above)
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)

__all__ += [
    "QBarCategoryAxis",
    "QBarSeries",
    "QBarSet",
    "QChart",
    "QChartView",
    "QHorizontalBarSeries",
    "QValueAxis",
]


def _pin_singletons() -> None:
    """Work around a reference-count bug of PySide6 6.12 on CPython < 3.12.

    ``SignalInstance.emit()`` returns ``True`` without taking a new reference, so every emit from
    Python lowers the reference count of ``True`` by one; after a few hundred emits CPython 3.11
    aborts with "bool_dealloc: deallocating True or False". (CPython 3.12+ makes ``True``, ``False``
    and ``None`` immortal, so there nothing is needed.) We give the three singletons a reference
    count so large that no run can exhaust it; they are never freed anyway.
    """
    if sys.version_info >= (3, 12) or not hasattr(sys, "getrefcount"):
        return
    for obj in (True, False, None):
        count = ctypes.c_ssize_t.from_address(id(obj))
        count.value += 1 << 40


_pin_singletons()
