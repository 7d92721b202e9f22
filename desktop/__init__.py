"""The PySide6 desktop application. It adapts ``forms`` and ``sync`` to the screen."""
