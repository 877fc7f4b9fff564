"""The layering a newcomer relies on: the library never imports its faces (dashboard,
reproductions, migrations), has no import cycle, and runs without torch or streamlit."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "reviewdb"
FACES = ("app", "reproductions", "migrations")


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _imports(path: Path, top_level_only: bool) -> set[str]:
    """Modules ``path`` imports (every import, or only those run when it is imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def test_the_library_never_imports_its_faces():
    upward = {(_module_name(p), m) for p in LIBRARY.rglob("*.py")
              for m in _imports(p, top_level_only=False) if m.split(".")[0] in FACES}
    assert upward == set()


def test_no_import_cycles_in_the_library():
    modules = {_module_name(p): p for p in LIBRARY.rglob("*.py")}
    graph = {name: {m for m in _imports(p, top_level_only=True) if m in modules and m != name}
             for name, p in modules.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


BLOCK_FACES = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "streamlit"):
            raise ImportError(f"{name} is not installed (blocked by the test)")
sys.meta_path.insert(0, Block())
"""


def test_import_reviewdb_pulls_in_neither_torch_nor_streamlit():
    code = ("import sys\nimport reviewdb, reviewdb.cli, reviewdb.query, reviewdb.coverage, reviewdb.mining.screening\n"
            "print(sorted(m for m in ('torch', 'streamlit') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_the_catalog_commands_work_without_torch_and_streamlit(tmp_path):
    url = f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    code = BLOCK_FACES + (
        "from reviewdb.cli import app\n"
        f"app(['load', 'tests/fixtures/mini', '--db', '{url}'], standalone_mode=False)\n"
        f"app(['query', '--source', 'MRI', '--target', 'CT', '--db', '{url}', '--format', 'csv'], standalone_mode=False)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "alpha2019mri" in out.stdout
