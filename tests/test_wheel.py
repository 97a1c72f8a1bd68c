"""The wheel: the package, its Alembic chain and its seed files, and no tests.

Builds the real wheel with pip (the project's build backend, hatchling) into a scratch folder.
It takes a few seconds and runs in the normal suite (``-m "not build"`` leaves it out).
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import tracker
from tests.helpers import ROOT

INFO = f"tracker-{tracker.__version__}.dist-info"
pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out),
         str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    wheels = list(out.glob("tracker-*.whl"))
    assert len(wheels) == 1, wheels
    assert wheels[0].name == f"tracker-{tracker.__version__}-py3-none-any.whl"
    return wheels[0]


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        return zf.namelist()


def test_wheel_holds_the_package_migrations_and_seeds(wheel_names):
    names = set(wheel_names)
    for required in ("tracker/__init__.py", "tracker/__main__.py", "tracker/cli/__init__.py",
                     "tracker/_migrations/env.py", "tracker/_migrations/script.py.mako",
                     "tracker/_migrations/versions/0001_initial.py",
                     "tracker/_seeds/sources.csv"):
        assert required in names, required


def test_wheel_holds_every_migration_and_seed_file_of_the_checkout(wheel_names):
    names = set(wheel_names)
    migrations = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    seeds = sorted((ROOT / "seeds").glob("*.csv"))
    assert migrations and seeds
    for path in migrations:
        assert f"tracker/_migrations/versions/{path.name}" in names, path.name
    for path in seeds:
        assert f"tracker/_seeds/{path.name}" in names, path.name


def test_wheel_holds_every_module_of_the_package(wheel_names):
    names = set(wheel_names)
    modules = [p.relative_to(ROOT).as_posix() for p in (ROOT / "tracker").rglob("*.py")
               if "__pycache__" not in p.parts]
    assert modules
    assert sorted(m for m in modules if m not in names) == []


def test_wheel_holds_no_tests_and_no_build_litter(wheel_names):
    assert [n for n in wheel_names if n.startswith("tests/") or "/tests/" in n] == []
    assert [n for n in wheel_names if "__pycache__" in n or n.endswith(".pyc")] == []
    top = {n.split("/")[0] for n in wheel_names}
    assert top == {"tracker", INFO}, top


def test_wheel_installs_the_tracker_command(wheel):
    with zipfile.ZipFile(wheel) as zf:
        entry_points = zf.read(f"{INFO}/entry_points.txt").decode()
        metadata = zf.read(f"{INFO}/METADATA").decode()
    assert "tracker = tracker.cli:main" in entry_points
    assert f"\nVersion: {tracker.__version__}\n" in metadata
