"""One variable, many spellings: ``<my-namespace>``, ``$NAMESPACE`` and ``{{ namespace }}``.

Names fold case, ``-``, spaces and ``.`` to ``_``; an alert label matches a
variable whose folded name, stripped of a possessive or a ``_name`` suffix,
is the label's.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-.]+")
_LEADING = ("my_", "your_", "the_", "target_")
_TRAILING = ("_name", "_id")

# Environment variables every shell has: never a value the reader must fill.
WELL_KNOWN_ENV = frozenset({
    "home", "path", "user", "username", "logname", "shell", "pwd", "oldpwd", "term", "lang",
    "lc_all", "tmpdir", "tmp", "editor", "visual", "pager", "hostname", "hosttype", "ostype",
    "uid", "euid", "ppid", "random", "seconds", "lineno", "ifs", "ps1", "ps2", "ps4",
    "kubeconfig", "display", "xdg_config_home", "xdg_data_home", "xdg_cache_home",
    "xdg_runtime_dir", "ssh_auth_sock", "gopath", "goroot", "java_home", "virtual_env",
    "bash_source", "funcname", "bash_version", "pipestatus", "reply", "optarg", "optind",
    "mail", "histfile", "columns", "lines", "shlvl", "http_proxy", "https_proxy", "no_proxy",
})

# Values kubectl and friends print: ``<none>`` in pasted output is never a placeholder.
OUTPUT_WORDS = frozenset({"none", "nil", "unknown", "pending", "invalid", "missing", "empty",
                          "null", "unset", "no value", "not set", "redacted", "hidden"})

# Bare HTML tag names: ``<div>`` in a code span is markup being talked about.
HTML_TAGS = frozenset({
    "a", "b", "i", "u", "p", "s", "q", "br", "hr", "div", "span", "img", "code", "pre", "html",
    "head", "body", "script", "style", "tr", "td", "th", "ul", "ol", "li", "em", "strong", "h1",
    "h2", "h3", "h4", "h5", "h6", "iframe", "meta", "svg", "nav", "tbody", "thead", "tfoot",
    "kbd", "sub", "sup", "video", "audio", "details", "blockquote", "dl", "dt", "dd", "center",
    "font", "small", "big", "tt", "strike", "noscript", "canvas", "figure", "figcaption",
    "caption", "col", "colgroup", "abbr", "cite", "var", "samp", "wbr", "del", "ins", "mark",
})

_LABEL_PHRASE = re.compile(
    r"^(?:the\s+)?(?:value\s+of\s+(?:the\s+)?)?['\"`]?([A-Za-z_][\w.-]*)['\"`]?\s+label"
    r"(?:\s+(?:from|of|in)\s+(?:the\s+)?alert)?$", re.IGNORECASE)


def fold(name: str) -> str:
    """The one spelling of a variable's name: lower case, words joined by ``_``."""
    return _SEPARATORS.sub("_", name.strip()).strip("_").lower()


def label_base(name: str) -> str:
    """The label a folded variable name would come from: ``my_namespace`` -> ``namespace``."""
    base = name
    for prefix in _LEADING:
        if base.startswith(prefix) and len(base) > len(prefix):
            base = base[len(prefix):]
    for suffix in _TRAILING:
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[:-len(suffix)]
    return base


def label_named_by(phrase: str) -> str:
    """The alert label a placeholder describes (``value of instance label from alert``), or ""."""
    match = _LABEL_PHRASE.match(phrase.strip())
    return fold(match.group(1)) if match else ""
