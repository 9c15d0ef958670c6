"""The wheel build records the commit it was made from (see viewer/gitcommit.py).

All metadata is in pyproject.toml; this only adds ``build-info.json`` next
to the stylesheets, as build.spec does for the packaged app, so that
``pip install .`` from a clone shows its commit in About and ``--version``.
"""

import importlib.util
import json
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _commit() -> str:
    # Loaded by path: importing the viewer package would need its dependencies.
    spec = importlib.util.spec_from_file_location("gitcommit", ROOT / "viewer" / "gitcommit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.commit_of(ROOT)


class BuildWithCommit(build_py):
    def run(self) -> None:
        super().run()
        commit = _commit()
        if commit and not self.editable_mode:
            target = Path(self.build_lib) / "viewer" / "resources" / "build-info.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps({"commit": commit}))


setup(cmdclass={"build_py": BuildWithCommit})
