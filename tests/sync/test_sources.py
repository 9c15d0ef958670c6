"""Credentials typed into a source URL, in any form a user types them, never stay in the URL."""

from __future__ import annotations

import pytest

from viewer.sync.credentials import scrub
from viewer.sync.engine import remote_for, secret_need
from viewer.sync.sources import TOKEN_AS_USER, SourceError, new_source, strip_credentials

TOKEN = "glpat-" + "Zx81Spectrum" * 3


@pytest.mark.parametrize(("typed", "url", "user", "secret"), [
    ("https://bob:s3cret@host/org/r.git", "https://host/org/r.git", "bob", "s3cret"),
    ("https://bob:pa/ss#x?y@host/org/r.git", "https://host/org/r.git", "bob", "pa/ss#x?y"),
    ("https://bob:p@ss@host:8443/r.git", "https://host:8443/r.git", "bob", "p@ss"),
    ("https://bob:p%40ss@host/r.git", "https://host/r.git", "bob", "p@ss"),
    (f"https://{TOKEN}@host/r.git", "https://host/r.git", "", TOKEN),
    ("https://alice@host/r.git", "https://host/r.git", "alice", ""),
    ("ssh://git@host/r.git", "ssh://git@host/r.git", "", ""),
    ("git@host:org/r.git", "git@host:org/r.git", "", ""),
])
def test_credentials_are_split_off_the_url(typed: str, url: str, user: str, secret: str) -> None:
    assert strip_credentials(typed) == (url, user, secret)


def test_a_token_as_user_name_is_sent_as_git_sends_it() -> None:
    source, secret = new_source("ops", f"https://{TOKEN}@git.example.com/ops.git")
    assert source.auth == TOKEN_AS_USER and source.username == "" and secret == TOKEN
    assert TOKEN not in repr(source)
    remote = remote_for(source, secret)
    assert (remote.username, remote.password) == (TOKEN, "")
    assert secret_need(source).what == "access token"


def test_an_at_sign_that_cannot_be_placed_is_refused() -> None:
    with pytest.raises(SourceError) as caught:
        new_source("ops", "https://host:8443/pass@word")
    assert "pass@word" not in str(caught.value)


@pytest.mark.parametrize("text", [
    "cannot reach https://bob:pa/ss#x@host/r.git: refused",
    "cannot reach https://bob:pa/ss#x@host/r.git",
    "('https://bob:pa/ss#x@host:8443/r.git', 401)",
])
def test_scrub_takes_out_a_password_with_slashes_and_hashes(text: str) -> None:
    assert "pa/ss" not in scrub(text) and "host" in scrub(text)


def test_a_failed_first_sync_does_not_speak_of_a_copy_that_never_was(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from viewer.sync.engine import sync_source

    source, _ = new_source("ops", f"file://{tmp_path}/no-such-repository.git")
    outcome = sync_source(source)
    assert not outcome.ok and "still shown" not in outcome.error
    assert "no copy of it on this computer yet" in outcome.error


def test_the_keyring_warning_names_no_python_class() -> None:
    from viewer.sync.credentials import CredentialStore

    class Fail:  # what keyring reports when no backend works
        pass

    Fail.__module__ = "keyring.backends.fail"
    store = CredentialStore(backend=Fail())
    assert not store.persistent
    assert "keyring." not in store.warning and "Keyring" not in store.warning.split("(")[0]
