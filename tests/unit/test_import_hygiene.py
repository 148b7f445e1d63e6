"""The core stays pure: importing every core module pulls in no UI, ORM or database library."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import c360tui.core

FORBIDDEN = ("textual", "sqlmodel", "sqlalchemy", "sqlite3", "typer")


def test_core_imports_no_io_or_ui_libraries() -> None:
    modules = [f"c360tui.core.{m.name}" for m in pkgutil.iter_modules(c360tui.core.__path__)]
    assert modules, "no core modules found"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"core imported: {out.stdout.strip()}"
