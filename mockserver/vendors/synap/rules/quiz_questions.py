"""The twelve question kinds (one table, ``questionType`` says which): what makes each kind's
answer key sound, checked on create, on update (against the merged attributes) and on import.

    SingleCorrect     two or more options, ids unique, exactly one correct
    MultipleCorrect   two or more options, ids unique, at least one correct
    Ranked            two or more items, ids unique
    ShortAnswer       at least one accepted answer
    FreeText          minWords <= maxWords
    Cloze*            every {{gapId}} of the text has one gap and every gap is in the text;
                      DropDown: each gap exactly one correct option; DragAndDrop: each gap's
                      correctTokenId is one of the tokens

A question is placed by its ``emqGroup``, else ``section``, else ``quiz`` relationship when created
(only single- and multiple-correct questions go in EMQ groups); see quizzes.py for the rest.
"""

from __future__ import annotations

import re

from mockserver.errors import InvalidRequest, Violation
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident
from mockserver.vendors.synap.rules import quizzes
from mockserver.vendors.synap.rules.quizzes import allow  # noqa: F401  the hook: authors write

KINDS = tuple(f"QuizQuestion{k}" for k in (
    "AudioRecording", "ClozeDragAndDrop", "ClozeDropDown", "ClozeText", "FileUpload", "FreeText",
    "Informational", "MultipleCorrect", "Ranked", "ShortAnswer", "SingleCorrect", "VideoRecording"))
EMQ_KINDS = ("QuizQuestionSingleCorrect", "QuizQuestionMultipleCorrect")
GAP = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


def _unique(items, field: str, what: str) -> list[tuple[tuple, str]]:
    ids = [i.get("id") for i in items or [] if isinstance(i, dict)]
    return [] if len(ids) == len(set(ids)) else [((field,), f"{what} ids must be unique.")]


def _choices(options, field: str, single: bool) -> list[tuple[tuple, str]]:
    options = options or []
    if len(options) < 2:
        return [((field,), "At least two options are needed.")]
    found = _unique(options, field, "Option")
    correct = sum(1 for o in options if isinstance(o, dict) and o.get("isCorrect"))
    if single and correct != 1:
        found.append(((field,), f"Exactly one option must be correct, not {correct}."))
    elif not single and correct < 1:
        found.append(((field,), "At least one option must be correct."))
    return found


def _gaps(attrs: dict) -> list[tuple[tuple, str]]:
    gaps = attrs.get("gaps") or []
    found = _unique(gaps, "gaps", "Gap")
    in_text = GAP.findall(attrs.get("text") or "")
    declared = [g.get("id") for g in gaps if isinstance(g, dict)]
    missing = [g for g in in_text if g not in declared]
    unused = [g for g in declared if g not in in_text]
    if missing:
        found.append((("text",), f"The text has a gap {{{{{missing[0]}}}}} with no entry in gaps."))
    if unused:
        found.append((("gaps",), f"Gap {unused[0]!r} does not appear in the text as {{{{{unused[0]}}}}}."))
    if not declared:
        found.append((("gaps",), "A cloze question needs at least one gap."))
    return found


def problems(kind: str, attrs: dict) -> list[tuple[tuple, str]]:
    """(attribute path, detail) for each thing wrong with a ``kind`` question's attributes."""
    kind = kind.removeprefix("QuizQuestion")
    found: list[tuple[tuple, str]] = []
    if kind in ("SingleCorrect", "MultipleCorrect"):
        found += _choices(attrs.get("options"), "options", kind == "SingleCorrect")
    elif kind == "Ranked":
        if len(attrs.get("items") or []) < 2:
            found.append((("items",), "At least two items are needed to rank."))
        found += _unique(attrs.get("items"), "items", "Item")
    elif kind == "ShortAnswer":
        if not attrs.get("acceptedAnswers"):
            found.append((("acceptedAnswers",), "At least one accepted answer is needed."))
    elif kind == "FreeText":
        low, high = attrs.get("minWords"), attrs.get("maxWords")
        if low is not None and high is not None and low > high:
            found.append((("minWords",), "minWords cannot be more than maxWords."))
    elif kind.startswith("Cloze"):
        found += _gaps(attrs)
        for n, gap in enumerate(attrs.get("gaps") or []):
            if kind == "ClozeDropDown":
                found += [(("gaps", n, *path), detail) for path, detail in _choices(gap.get("options"), "options", True)]
            elif kind == "ClozeDragAndDrop":
                tokens = {tok.get("id") for tok in attrs.get("tokens") or []}
                if gap.get("correctTokenId") not in tokens:
                    found.append((("gaps", n, "correctTokenId"), "The correct token must be one of the tokens."))
    return found


def refuse(found: list[tuple[tuple, str]], prefix: tuple = ("data", "attributes")) -> None:
    if found:
        raise InvalidRequest(found[0][1], violations=[Violation("body", (*prefix, *path), detail)
                                                      for path, detail in found])


def kind_of(record: dict) -> str:
    return record["attributes"]["questionType"]


def create(call, record, body) -> None:
    kind = kind_of(record)
    refuse(problems(kind, record["attributes"]))
    if record["relationships"].get("emqGroup") and kind not in EMQ_KINDS:
        raise invalid(("relationships", "emqGroup"), "Only single- and multiple-correct questions go in EMQ groups.")
    quizzes.place_new(call, kind, record, quizzes.container_of_new(call, kind, record))


def update(call, record, changes) -> None:
    refuse(problems(kind_of(record), {**record["attributes"], **changes}))


def updated(call, before, after) -> None:
    quizzes.replaced(call, kind_of(after), before, after)


def delete(call, record) -> None:
    where = quizzes.slot(kind_of(record), record)
    if where:
        quizzes.unlist(call, where, ident(kind_of(record), record))
