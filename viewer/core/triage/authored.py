"""An authored triage walk: ``triage.yaml`` at a library's root, questions leading to runbooks.

The file is a question with answers; each answer either opens a runbook
(``open: path#anchor``) or asks a further question::

    question: What are users seeing?
    answers:
      - answer: Errors on every request
        open: runbooks/api-outage.md#sev1-api-completely-down
      - answer: Slow pages
        question: Is the database busy?
        answers:
          - answer: Yes
            open: runbooks/database-connection-pool.md

A mistake is reported with the file name and line, and never hides the
symptom tree extracted from the runbooks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from viewer.core.library import Library, OutsideLibrary
from viewer.core.textio import UnreadableFile
from viewer.core.yaml_budget import YamlTooLarge, compose_bounded

TRIAGE_FILE = "triage.yaml"
MAX_TRIAGE_BYTES = 512 * 1024  # a walk of questions, not a library


@dataclass
class Answer:
    text: str
    target: str = ""  # "path#anchor" to open, or
    question: Question | None = None  # a further question


@dataclass
class Question:
    text: str
    answers: list[Answer] = field(default_factory=list)


class TriageFileError(Exception):
    """``str(err)`` names the file and line: "triage.yaml, line 7: ..."."""


def _fail(node: yaml.Node | None, message: str) -> TriageFileError:
    line = f", line {node.start_mark.line + 1}" if node is not None else ""
    return TriageFileError(f"{TRIAGE_FILE}{line}: {message}")


def _mapping(node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise _fail(node, f"{what} must be a set of 'key: value' lines")
    found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise _fail(key, "keys must be plain words")
        found[key.value] = (key, value)
    return found


def _text(entry: tuple[yaml.Node, yaml.Node] | None, parent: yaml.Node, name: str) -> str:
    if entry is None:
        raise _fail(parent, f"'{name}' is missing")
    _key, value = entry
    if not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
        raise _fail(value, f"'{name}' must be some text")
    return str(value.value).strip()


def _question(node: yaml.Node, library: Library, depth: int) -> Question:
    if depth > 30:
        raise _fail(node, "questions are nested more than 30 deep")
    fields = _mapping(node, "a question")
    question = Question(_text(fields.get("question"), node, "question"))
    answers = fields.get("answers")
    if answers is None:
        raise _fail(node, f"the question '{question.text}' has no 'answers'")
    if not isinstance(answers[1], yaml.SequenceNode) or not answers[1].value:
        raise _fail(answers[1], "'answers' must be a list of '- answer: ...' items")
    for item in answers[1].value:
        entry = _mapping(item, "an answer")
        answer = Answer(_text(entry.get("answer"), item, "answer"))
        if "open" in entry:
            answer.target = _target(_text(entry["open"], item, "open"), entry["open"][1],
                                    library)
        elif "question" in entry:
            answer.question = _question(item, library, depth + 1)
        else:
            raise _fail(item, f"the answer '{answer.text}' needs 'open: runbook' or a "
                              "further 'question'")
        question.answers.append(answer)
    return question


def _from_mounts(union: Library) -> tuple[Question | None, str]:
    mounts = union.mounts()
    for name in union.mount_order():
        question, note = load_triage(Library(mounts[name], name))
        if question is not None or note:
            if question is not None:
                _prefix(question, f"{name}/")
            return question, (f"{name}: {note}" if note else "")
    return None, ""


def _prefix(question: Question, prefix: str) -> None:
    for answer in question.answers:
        if answer.target:
            answer.target = prefix + answer.target
        if answer.question is not None:
            _prefix(answer.question, prefix)


def _target(text: str, node: yaml.Node, library: Library) -> str:
    path, _, anchor = text.partition("#")
    try:
        real = library.resolve(path)
    except OutsideLibrary as err:
        raise _fail(node, str(err)) from None
    if not real.is_file():
        raise _fail(node, f"{path} is not in the library")
    return f"{path}#{anchor}" if anchor else path


def load_triage(library: Library) -> tuple[Question | None, str]:
    """The library's authored walk, or None; and a message naming file and line, or "".

    In the union of sources, with none at its root, the first source (the
    bundled guide last) that has a ``triage.yaml`` gives it, its runbooks
    named as the union names them.
    """
    if not (library.root / TRIAGE_FILE).exists() and not (library.root / TRIAGE_FILE).is_symlink():
        return _from_mounts(library) if library.is_union else (None, "")
    try:
        # Through the library's gate like every runbook: a triage.yaml that is a
        # symlink to a file outside, a FIFO or a huge file is refused unread.
        text = library.read_text(TRIAGE_FILE, max_bytes=MAX_TRIAGE_BYTES).text
    except (OutsideLibrary, UnreadableFile) as err:
        return None, f"{TRIAGE_FILE} is not used: {err}"
    try:
        node = compose_bounded(text)
        if node is None:
            return None, f"{TRIAGE_FILE} is empty; add a question to offer a guided triage."
        return _question(node, library, 0), ""
    except TriageFileError as err:
        return None, f"{err}. The symptom tree below comes from the runbooks and still works."
    except YamlTooLarge as err:
        return None, (f"{TRIAGE_FILE}: {err} The symptom tree below comes from the runbooks "
                      "and still works.")
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or "not valid YAML"
        return None, (f"{TRIAGE_FILE}{line}: {problem}. The symptom tree below comes from the "
                      "runbooks and still works.")
