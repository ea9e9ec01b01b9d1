"""Surveys: ordered pages of ordered questions (SurveyItem), and the responses to them.

Everyone reads, admins write (responses: anyone). A page joins the end of its survey's ``pages``, a
question the end of its page's ``items``. "Update Survey Pages" reorders a survey's pages (only its
own, each once); "Update Survey Page Items" sets a page's questions in order: every question now on
the page, plus questions of the same survey that move here from another page. A question may also
move with PATCH ``relationships.page`` (to the end of that page, same survey only).

Choice questions need two or more distinct options; rating questions answer 1..ratingScale (5 by
default); informational questions take no answer. A response answers questions of its survey once
each, with values of their type, and every required question (400 per problem, with pointers). It
is the caller's unless the survey is anonymous. Deleting a survey deletes its pages, questions and
responses; deleting a page its questions.
"""

from __future__ import annotations

from mockserver.errors import InvalidRequest, Violation
from mockserver.vendors.synap.errors import invalid, invalid_body
from mockserver.vendors.synap.records import ident, linked_id, linking, table
from mockserver.vendors.synap.rules import access, ordered_members

CHOICES = ("singleChoice", "multipleChoice")


def _of(call, type_name: str, name: str, parent_id: str) -> list[dict]:
    return linking(call.store, type_name, name, parent_id)


class Surveys:
    allow = staticmethod(access.allow)

    def create(self, call, record, body) -> None:
        if record["relationships"].get("owner") is None and call.user_id:
            record["relationships"]["owner"] = ident("User", call.user_id)

    def attributes(self, call, record) -> dict:
        return {"pageCount": len(record["relationships"].get("pages") or []),
                "questionCount": len(_of(call, "SurveyItem", "survey", record["id"])),
                "responseCount": len(_of(call, "SurveyResponse", "survey", record["id"]))}

    relink = staticmethod(ordered_members.relink)  # Update Survey Pages

    def reassign(self, call, record, rels) -> None:
        ordered_members.reorder_sent(call, record, rels, "pages")

    def delete(self, call, record) -> None:
        for type_name in ("SurveyItem", "SurveyPage", "SurveyResponse"):
            for row in _of(call, type_name, "survey", record["id"]):
                call.store.delete(table(type_name), row["id"])


class Ordered:
    """Pages and questions: listed in their container's order, with their ``position`` there. The
    container is the record's ``parent`` relationship; its ``members`` list holds the order."""

    allow = staticmethod(access.allow)
    parent, members = "survey", "pages"

    def container(self, record) -> tuple[dict | None, str]:
        return record["relationships"].get(self.parent), self.members

    def visible(self, call, rows):
        return ordered_members.in_order(call, rows, self.container)

    def attributes(self, call, record) -> dict:
        return {"position": ordered_members.position(call, *self.container(record), record["id"])}


class Pages(Ordered):
    def create(self, call, record, body) -> None:
        if record["relationships"].get("survey") is None:
            raise invalid(("relationships", "survey"), "A SurveyPage needs a survey.")
        ordered_members.append(call, record["relationships"]["survey"], "pages", ident("SurveyPage", record["id"]))

    def set_items(self, call, page: dict, given: list[dict], pointer: tuple) -> list[dict]:
        """Update Survey Page Items: the page's questions in ``given``'s order; questions of other pages
        of the survey move here."""
        current = ordered_members.members(call, page, "items")
        listed = {i["id"] for i in given}
        missing = [m["id"] for m in current if m["id"] not in listed]
        if missing:
            raise invalid_body(pointer, f"Every question of the page stays listed (delete one with Delete "
                                        f"SurveyItem); missing: {', '.join(missing)}")
        survey_id = linked_id(page, "survey")
        questions = table("SurveyItem")
        out = []
        for n, given_ident in enumerate(given):
            question = call.store.get(questions, given_ident["id"])
            if question is None or linked_id(question, "survey") != survey_id:
                raise invalid_body((*pointer, n), f"{given_ident['id']!r} is not a question of Survey {survey_id}.")
            if linked_id(question, "page") != page["id"]:  # moves here from another page
                ordered_members.drop(call, question["relationships"]["page"], "items", question["id"])
                call.store.update(questions, question["id"], {"relationships": {
                    **question["relationships"], "page": ident("SurveyPage", page["id"])}})
            out.append(ident("SurveyItem", question["id"]))
        return out

    def relink(self, call, record, name, linked) -> None:
        linked[:] = self.set_items(call, record, list(linked), ("data",))

    def reassign(self, call, record, rels) -> None:
        if "survey" in rels and (rels["survey"] or {}).get("id") != linked_id(record, "survey"):
            raise invalid(("relationships", "survey"), "The survey of a SurveyPage cannot change.")
        if "items" in rels:
            rels["items"] = self.set_items(call, record, rels["items"], ("data", "relationships", "items", "data"))

    def delete(self, call, record) -> None:
        ordered_members.drop(call, record["relationships"].get("survey"), "pages", record["id"])
        for question in _of(call, "SurveyItem", "page", record["id"]):
            call.store.delete(table("SurveyItem"), question["id"])


class Questions(Ordered):
    parent, members = "page", "items"

    def _check(self, attributes: dict) -> None:
        kind = attributes.get("questionType")
        options = attributes.get("options")
        if kind in CHOICES and (not options or len(options) < 2 or len(set(options)) != len(options)):
            raise invalid(("attributes", "options"), f"A {kind} question needs two or more distinct options.")
        if kind == "rating" and attributes.get("ratingScale") is None:
            attributes["ratingScale"] = 5
        if kind == "informational":
            attributes["isRequired"] = False

    def create(self, call, record, body) -> None:
        page = call.record("SurveyPage", linked_id(record, "page") or "")
        if page is None:
            raise invalid(("relationships", "page"), "A SurveyItem needs a page.")
        record["relationships"]["survey"] = page["relationships"]["survey"]
        self._check(record["attributes"])
        ordered_members.append(call, record["relationships"]["page"], "items", ident("SurveyItem", record["id"]))

    def update(self, call, before, changes) -> None:
        merged = {**before["attributes"], **changes}
        self._check(merged)
        changes.update({k: merged[k] for k in ("ratingScale", "isRequired")})

    def reassign(self, call, record, rels) -> None:
        target = rels.get("page", record["relationships"].get("page"))
        if target is None:
            raise invalid(("relationships", "page"), "A SurveyItem stays on a page.")
        if target["id"] == linked_id(record, "page"):
            return
        page = call.record("SurveyPage", target["id"])
        if linked_id(page, "survey") != linked_id(record, "survey"):
            raise invalid(("relationships", "page"), "A question moves only to a page of its survey.")
        ordered_members.drop(call, record["relationships"]["page"], "items", record["id"])
        ordered_members.append(call, target, "items", ident("SurveyItem", record["id"]))

    def delete(self, call, record) -> None:
        ordered_members.drop(call, record["relationships"].get("page"), "items", record["id"])


class Responses:
    def create(self, call, record, body) -> None:
        survey = call.record("Survey", linked_id(record, "survey") or "")
        if survey is None:
            raise invalid(("relationships", "survey"), "A SurveyResponse needs a survey.")
        record["relationships"]["user"] = None if survey["attributes"].get("isAnonymous") else ident("User", call.user_id)
        record["attributes"]["submittedAt"] = call.timestamp
        problems = self._problems(call, survey, record["attributes"].get("answers") or [])
        if problems:
            raise InvalidRequest(problems[0][1], violations=[
                Violation("body", ("data", "attributes", "answers", *path), message) for path, message in problems])

    def _problems(self, call, survey: dict, answers: list[dict]) -> list[tuple[tuple, str]]:
        questions = {q["id"]: q for q in _of(call, "SurveyItem", "survey", survey["id"])}
        problems, answered = [], set()
        for n, answer in enumerate(answers):
            question = questions.get(answer.get("surveyItem"))
            if question is None:
                problems.append(((n, "surveyItem"), f"{answer.get('surveyItem')!r} is not a question of this survey."))
                continue
            if question["id"] in answered:
                problems.append(((n, "surveyItem"), "A question is answered once."))
                continue
            answered.add(question["id"])
            wrong = _wrong_value(question["attributes"], answer.get("value"))
            if wrong:
                problems.append(((n, "value"), wrong))
            elif answer.get("value") in (None, "", []):
                answered.discard(question["id"])
        for question in questions.values():
            if question["attributes"].get("isRequired") and question["id"] not in answered:
                problems.append(((), f"Question {question['id']} ({question['attributes']['prompt']}) is required."))
        return problems


def _wrong_value(question: dict, value) -> str | None:
    kind, options = question["questionType"], question.get("options") or []
    if kind == "informational":
        return "An informational question takes no answer."
    if value is None:
        return None
    if kind == "text" and not isinstance(value, str):
        return "A text answer is a string."
    if kind == "singleChoice" and value not in options:
        return f"The answer is one of: {', '.join(options)}."
    if kind == "multipleChoice" and (not isinstance(value, list) or len(set(map(str, value))) != len(value)
                                     or any(v not in options for v in value)):
        return f"The answer lists distinct options of: {', '.join(options)}."
    if kind == "rating":
        scale = question.get("ratingScale") or 5
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= scale:
            return f"A rating is a whole number from 1 to {scale}."
    return None


survey = Surveys()
page = Pages()
survey_item = Questions()
survey_response = Responses()
