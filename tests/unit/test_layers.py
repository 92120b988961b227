"""One way down: every import points at the same layer or a lower one.

    schemas/  ->  services/runtime/  ->  services/{ingest,classify,notify,api}/  ->  frontwire/  ->  bench/
    (lowest)                                                                                    (highest)

A module may import its own layer and the layers beneath it, never one above; the services
also keep to their own lanes (the API reads what ingest and notify store, and nothing of the
classifier). Imports inside functions and under ``TYPE_CHECKING`` count too: a lazy import
is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("schemas", "services", "frontwire", "bench")
SERVICES = ("ingest", "classify", "notify", "api")
# which service may import which other service (everything else between services is refused)
SIDEWAYS = {("api", "ingest"), ("api", "notify")}


def layer(module: str) -> tuple[int, str] | None:
    """(rank, name) of a module of ours; None for the standard library and third parties."""
    parts = module.split(".")
    if parts[0] == "schemas":
        return 0, "schemas"
    if parts[0] == "services":
        if len(parts) == 1 or parts[1] == "runtime":
            return 1, "services.runtime"
        return 2, f"services.{parts[1]}"
    if parts[0] == "frontwire":
        return 3, "frontwire"
    if parts[0] == "bench":
        return 4, "bench"
    return None


def module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def imports(path: Path, module: str) -> Iterator[tuple[int, str]]:
    """(line, imported module) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield node.lineno, target


def wrong_imports(root: Path) -> list[str]:
    """Every import under ``root`` that points up a layer or across to a service it may not use."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            module = module_name(path, root)
            here = layer(module)
            assert here is not None
            for line, target in imports(path, module):
                there = layer(target)
                if there is None:
                    continue
                where = f"{path.relative_to(root)}:{line}: {module} ({here[1]}) imports {target} ({there[1]})"
                if there[0] > here[0]:
                    found.append(f"{where}, a layer above it")
                elif here[0] == there[0] == 2 and here[1] != there[1] and \
                        (here[1].split(".")[1], there[1].split(".")[1]) not in SIDEWAYS:
                    found.append(f"{where}, another service it may not use")
    return found


def test_nothing_below_imports_anything_above() -> None:
    assert wrong_imports(REPO) == []


def test_every_module_of_ours_sits_in_a_layer() -> None:
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            assert layer(module_name(path, REPO)) is not None, path


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(text)
    return tmp_path


@pytest.mark.parametrize(("name", "text", "why"), [
    ("services/runtime/config.py", "from frontwire.cli import main\n", "a layer above"),
    ("services/runtime/db.py", "def f():\n    from services.notify.store import Store\n", "a layer above"),
    ("schemas/models.py", "import services.runtime.timeutil\n", "a layer above"),
    ("services/notify/app.py", "from frontwire import serve\n", "a layer above"),
    ("frontwire/cli.py", "from bench import bench_parse\n", "a layer above"),
    ("services/ingest/poller.py", "from ..notify import store\n", "another service"),
    ("services/api/routes/x.py", "from services.classify.core import Classifier\n", "another service"),
])
def test_a_wrong_import_is_caught_and_named(tmp_path: Path, name: str, text: str, why: str) -> None:
    found = wrong_imports(_tree(tmp_path, {name: text}))
    assert len(found) == 1, found
    assert found[0].startswith(f"{name}:") and why in found[0]


@pytest.mark.parametrize(("name", "text"), [
    ("frontwire/serve.py", "from services.notify.app import main\nfrom services.runtime.config import Settings\n"),
    ("services/notify/app.py", "from services.runtime.streams import make_app\nfrom schemas.models import Alert\n"),
    ("services/api/routes/x.py", "from services.notify.store import Store\nfrom . import y\n"),
    ("bench/bench_x.py", "from frontwire.broker import Broker\nimport json\n"),
])
def test_imports_downwards_pass(tmp_path: Path, name: str, text: str) -> None:
    assert wrong_imports(_tree(tmp_path, {name: text})) == []
