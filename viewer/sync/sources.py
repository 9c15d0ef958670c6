"""The list of runbook sources and the sync settings, kept in ``sources.json``.

A source is a git repository (HTTPS, SSH, ``file://`` or a local path to a
repository) or a plain local folder. The file lives in the user's config
directory and never holds a secret: a password or token goes to the keyring
(:mod:`viewer.sync.credentials`), and credentials typed into a URL are split
off before anything is saved.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from urllib.parse import unquote

from viewer.core.config import write_atomically
from viewer.locations import config_dir

DEFAULT_SYNC_MINUTES = 15
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,62}$")
SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:(?!//)")  # git@host:org/repo.git


class SourceError(ValueError):
    """A source that cannot be added or used; ``str(err)`` is the user-facing reason."""


@dataclass
class Source:
    """One place runbooks come from."""

    name: str
    url: str  # a git URL or local path; for kind "folder", the folder
    kind: str = "git"  # git | folder
    branch: str = "main"
    subdir: str = ""  # only this folder of the repository is shown
    username: str = ""  # the secret that goes with it is in the keyring
    key_file: str = ""  # SSH private key; empty: the user's agent and default keys
    auth: str = ""  # TOKEN_AS_USER: the keyring's secret goes as the user name, no password
    site_urls: list[str] = field(default_factory=list)  # where its pages are published

    @property
    def is_git(self) -> bool:
        return self.kind == "git"

    def display_url(self) -> str:
        return strip_credentials(self.url)[0]


@dataclass
class SourceList:
    """Everything ``sources.json`` holds."""

    sources: list[Source] = field(default_factory=list)
    show_bundled: bool = True  # the user guide and samples beside the synced runbooks
    sync_minutes: int = DEFAULT_SYNC_MINUTES  # 0: only at start-up and on demand

    def get(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.name == name), None)


def sources_path() -> Path:
    return config_dir() / "sources.json"


def check_name(name: str) -> str:
    """The name, or :class:`SourceError` when it cannot name a folder safely."""
    if not _NAME.match(name) or name.rstrip(". ") != name:
        raise SourceError(f"{name!r} cannot be a source name: use letters, digits, '.', '_', "
                          "'-' and spaces, starting with a letter or digit.")
    return name


# Tokens that hosts hand out, recognisable when typed as the user part of a URL
# (``https://TOKEN@github.com/org/repo.git``, the form GitHub documents).
_TOKEN_PREFIXES = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-",
                   "glptt-", "glrt-", "glcbt-", "ATBB", "ATCTT")
_HOST_AND_PATH = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d*)?/")
TOKEN_AS_USER = "token-as-user"  # Source.auth: the secret is sent as the user name


def looks_like_token(user: str) -> bool:
    """True for the user part of a URL that is an access token rather than a name."""
    if user.startswith(_TOKEN_PREFIXES):
        return True
    # A name is short; a token is long and made of letters and digits only.
    return len(user) >= 32 and user.replace("_", "").replace("-", "").isalnum()


def _split_userinfo(url: str) -> tuple[str, str, str] | None:
    """``(scheme://, userinfo, host/path)`` taking the last '@' that leaves host and path whole.

    A password typed unencoded may hold '/', '#' or '?', which ``urlsplit``
    reads as the end of the address: so this looks for the '@' itself.
    """
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return None
    at = len(rest)
    while (at := rest.rfind("@", 0, at)) >= 0:
        if _HOST_AND_PATH.match(rest[at + 1:]):
            return scheme + sep, rest[:at], rest[at + 1:]
    return None


def strip_credentials(url: str) -> tuple[str, str, str]:
    """``(url without user:secret@, username, secret)`` for URLs typed with credentials in them.

    ``https://TOKEN@host/...`` gives the token as the secret and no username
    (see :data:`TOKEN_AS_USER`). A URL whose '@' cannot be placed is returned
    with everything before its last '@' masked, so it is never echoed whole.
    """
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if not scheme or scheme == "file":
        return url, "", ""
    parts = _split_userinfo(url)
    if parts is None:
        if "@" in url.partition("://")[2]:
            return f"{scheme}://•••@{url.rsplit('@', 1)[1]}", "", ""
        return url, "", ""
    prefix, userinfo, host_path = parts
    user, colon, secret = userinfo.partition(":")
    if scheme == "ssh" and not colon:
        return url, "", ""  # ssh://git@host: the user is part of the address, not a secret
    clean = prefix + host_path
    user, secret = unquote(user), unquote(secret)
    if not colon and looks_like_token(user):
        return clean, "", user
    return clean, user, secret


def kind_of(url: str) -> str:
    """``"git"`` for anything git can fetch, ``"folder"`` for a plain local folder."""
    if "://" in url or SCP_LIKE.match(url):
        return "git"
    path = Path(url).expanduser()
    if (path / ".git").exists() or ((path / "HEAD").is_file() and (path / "objects").is_dir()):
        return "git"
    return "folder"


def load_sources(path: Path | None = None) -> tuple[SourceList, str]:
    """The saved sources and a message for the user ("" when all is well)."""
    path = path or sources_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not an object")
        names = {f.name for f in fields(Source)}
        sources = [_source_from(item, names) for item in raw.get("sources", [])
                   if isinstance(item, dict) and isinstance(item.get("name"), str)
                   and isinstance(item.get("url"), str)]
    except FileNotFoundError:
        return SourceList(), ""
    except (OSError, ValueError, TypeError) as err:
        aside = path.with_name(path.name + ".corrupt")
        with contextlib.suppress(OSError):
            os.replace(path, aside)
        return SourceList(), (f"Your list of sources could not be read ({err}); "
                              f"it was moved to {aside}.")
    listing = SourceList(sources=sources)
    if isinstance(raw.get("show_bundled"), bool):
        listing.show_bundled = raw["show_bundled"]
    if isinstance(raw.get("sync_minutes"), int) and raw["sync_minutes"] >= 0:
        listing.sync_minutes = raw["sync_minutes"]
    return listing, ""


def _source_from(item: dict, names: set[str]) -> Source:
    values = {k: str(v) for k, v in item.items() if k in names and k != "site_urls"}
    sites = item.get("site_urls")
    urls = [str(u) for u in sites if isinstance(u, str)] if isinstance(sites, list) else []
    return Source(**values, site_urls=urls)


def take_token_usernames(listing: SourceList) -> dict[str, str]:
    """Take out tokens that an older version saved as a source's user name.

    Returns ``{source name: token}`` and marks those sources
    :data:`TOKEN_AS_USER`; the caller puts each token in the keyring, then
    saves the list, so the file stops holding them.
    """
    taken: dict[str, str] = {}
    for source in listing.sources:
        if source.username and looks_like_token(source.username):
            taken[source.name] = source.username
            source.username, source.auth = "", TOKEN_AS_USER
    return taken


def save_sources(listing: SourceList, path: Path | None = None) -> None:
    """Write atomically; raises OSError (the caller words it for the user)."""
    data = asdict(listing)
    for item in data["sources"]:
        item["url"] = strip_credentials(item["url"])[0]  # belt and braces: never a secret
    write_atomically(path or sources_path(), json.dumps(data, indent=2))


def new_source(name: str, url: str, *, branch: str = "", subdir: str = "",
               username: str = "", key_file: str = "") -> tuple[Source, str]:
    """A checked source and the secret that was typed into its URL (to go to the keyring)."""
    check_name(name)
    typed = url.strip()
    if "://" in typed and "@" in typed.partition("://")[2] and _split_userinfo(typed) is None:
        raise SourceError("The URL has an '@' that is not before the server's name. If it "
                          "holds a password or token, leave it out of the URL and type it in "
                          "the Password field (or give --password-stdin).")
    clean, url_user, secret = strip_credentials(typed)
    if not clean:
        raise SourceError("The source needs a URL or a folder.")
    kind = kind_of(clean)
    local = "://" not in clean and not SCP_LIKE.match(clean)
    if kind == "folder":
        folder = Path(clean).expanduser()
        if not folder.is_dir():
            raise SourceError(f"{clean} is neither a git URL nor a folder on this computer.")
        clean = str(folder.resolve())
    elif local:  # a repository on this computer: the same one from any working folder
        clean = str(Path(clean).expanduser().resolve())
    subdir = subdir.strip().strip("/")
    if any(part in ("", ".", "..") for part in subdir.split("/")) and subdir:
        raise SourceError(f"{subdir!r} is not a folder inside the repository.")
    token_as_user = bool(secret) and not url_user and not username
    source = Source(name=name, url=clean, kind=kind, branch=branch.strip() or "main",
                    subdir=subdir, username=username or url_user, key_file=key_file,
                    auth=TOKEN_AS_USER if token_as_user else "")
    return source, secret
