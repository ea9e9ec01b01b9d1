"""What a posted grade means (canvas:app/models/assignment.rb#interpret_grade and #score_to_grade,
app/models/grading_standard.rb).

- ``"85%"``: that share of the points possible; a bare number: points; a letter (under
  ``letter_grade`` or ``gpa_scale``): the default grading scheme's score for it, which is one point
  below the next letter up ("e.g. convert B to 86", GradingStandard#grade_to_score), "A" being 100%;
  ``pass``/``complete`` and ``fail``/``incomplete`` under ``pass_fail``.
- The grade shown is then written back in the assignment's own form: points, a percentage, the
  scheme's letter for the score, or complete/incomplete. A blank posted grade clears the grade.
- Anything else, or a grade on a ``not_graded`` assignment, is an Assignment::GradeError.
"""

from __future__ import annotations

import re

from mockserver.vendors.canvas.errors import GradeError

# GradingStandard.default_grading_scheme: each letter and the lowest share of points that earns it.
DEFAULT_SCHEME = (("A", 0.94), ("A-", 0.90), ("B+", 0.87), ("B", 0.84), ("B-", 0.80), ("C+", 0.77), ("C", 0.74),
                  ("C-", 0.70), ("D+", 0.67), ("D", 0.64), ("D-", 0.61), ("F", 0.0))
TYPES = ("points", "percent", "letter_grade", "gpa_scale", "pass_fail", "not_graded")
_NUMBER = re.compile(r"^[+-]?\d*\.?\d+$")
_PERCENT = re.compile(r"^([+-]?\d*\.?\d+)\s*%$")
PASSING = ("pass", "complete")
FAILING = ("fail", "incomplete")


def round_if_whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def letter_score(letter: str) -> float | None:
    """The percentage a letter stands for (GradingStandard#grade_to_score)."""
    index = next((n for n, (name, _) in enumerate(DEFAULT_SCHEME) if name.casefold() == letter.casefold()), None)
    if index is None:
        return None
    if index == 0:
        return 100.0
    return DEFAULT_SCHEME[index - 1][1] * 100 - 1.0


def score_to_letter(percent: float) -> str:
    return next(name for name, bound in DEFAULT_SCHEME if max(percent, 0) >= bound * 100)


def grade_for(assignment: dict, score: float | None) -> str | None:
    if score is None:
        return None
    points = assignment["points_possible"] or 0
    kind = assignment["grading_type"]
    if kind == "pass_fail":
        return "complete" if score > 0 or (points == 0 and score == 0) else "incomplete"
    if kind == "percent":
        return f"{round_if_whole(score / points * 100) if points else 0}%"
    if kind in ("letter_grade", "gpa_scale"):
        return score_to_letter(score / points * 100 if points else 0.0)
    return str(round_if_whole(score))


def interpret(assignment: dict, posted) -> tuple[float | None, str | None]:
    """(score, grade) for a posted grade; (None, None) clears the grade."""
    text = "" if posted is None else str(posted).strip()
    if text == "":
        return None, None
    kind = assignment["grading_type"]
    points = assignment["points_possible"] or 0
    if kind == "not_graded":
        raise GradeError("This assignment is not graded")
    if kind == "pass_fail":
        word = text.casefold()
        if word in PASSING:
            return float(points), "complete"
        if word in FAILING:
            return 0.0, "incomplete"
        if not _NUMBER.match(text):
            raise GradeError(f'"{text}" is not a valid pass/fail grade')
    percent = _PERCENT.match(text)
    if percent:
        score = points * float(percent.group(1)) / 100
    elif _NUMBER.match(text):
        score = float(text)
    elif kind in ("letter_grade", "gpa_scale") and letter_score(text) is not None:
        score = points * letter_score(text) / 100
    else:
        raise GradeError(f'"{text}" is not a valid grade for this assignment')
    score = round(score, 2)
    return score, grade_for(assignment, score)
