"""The Sphinx project a reST page belongs to: its source folder, and its ``rst_prolog``.

A Sphinx guide opened at its repository's root keeps its pages under
``source/`` or ``docs/``, and writes absolute references against that
folder (``:doc:`/administration-guide/manage/x```). The folder holding
``conf.py`` is the project's root. ``conf.py`` is Python, and a repository
is untrusted: it is never run. Its text is read through the library's gate
and parsed, and only a plain string given to ``rst_prolog`` (the
substitutions every page shares) is taken from it.
"""

from __future__ import annotations

import ast
import posixpath
import threading

from viewer.core.library import Library, OutsideLibrary, file_stamp, nearest_file
from viewer.core.textio import UnreadableFile

CONF = "conf.py"
# A project that writes its conf.py from a template at build time keeps the template where
# conf.py goes (minio/docs: source/default-conf.py).
CONF_NAMES = (CONF, "default-conf.py")
MAX_CONF_BYTES = 512 * 1024
_cache: dict[tuple[str, str], tuple[int, str | None, str]] = {}  # (root, folder) -> found
_lock = threading.Lock()


def sphinx_root(library: Library, page: str) -> str | None:
    """The library path of the folder holding the page's ``conf.py`` ("" for the root);
    None when the page is in no Sphinx project."""
    found = nearest_file(library, page, CONF_NAMES)
    return posixpath.dirname(found[0]) if found is not None else None


def rst_prolog(library: Library, root: str) -> str:
    """The ``rst_prolog`` string of the project's ``conf.py``, or ""; never runs the file."""
    conf, stamp = next(((rel, stamp) for name in CONF_NAMES
                        for rel in [posixpath.join(root, name) if root else name]
                        if (stamp := file_stamp(library, rel))), (CONF, 0))
    key = (str(library.root), root)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[2]
    prolog = _read_prolog(library, conf) if stamp else ""
    with _lock:
        _cache[key] = (stamp, root, prolog)
    return prolog


def _read_prolog(library: Library, conf: str) -> str:
    try:
        text = library.read_text(conf, max_bytes=MAX_CONF_BYTES).text
        tree = ast.parse(text)
    except (OutsideLibrary, UnreadableFile, SyntaxError, ValueError, RecursionError):
        return ""
    parts: list[str] = []
    for statement in tree.body:
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets, value, adding = statement.targets, statement.value, False
        elif isinstance(statement, ast.AugAssign):
            targets, value, adding = [statement.target], statement.value, True
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value, adding = [statement.target], statement.value, False
        if not any(isinstance(t, ast.Name) and t.id == "rst_prolog" for t in targets):
            continue
        literal = _string(value)
        if literal is None:
            continue
        parts = [*parts, literal] if adding else [literal]
    return "\n".join(parts)


def _string(node: ast.expr) -> str | None:
    """A string literal, or two joined with ``+``; anything computed is left out."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string(node.left), _string(node.right)
        return left + right if left is not None and right is not None else None
    return None
