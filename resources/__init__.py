"""Data files: code lists, default templates, translations, demo inputs."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent
