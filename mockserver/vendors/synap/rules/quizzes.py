"""A quiz's structure: Quiz, QuizSection and QuizEmqGroup are containers with an ordered ``questions``
list (a Quiz also has ``sections``), and every question or EMQ group sits in at most one of them.

Where an item sits is written twice, kept in step here: in the container's list (the order clients
set with the relationship endpoints and read back) and in the item's own to-one relationships
(``quiz``, ``section``, ``emqGroup``; a section has ``quiz``). Placing an item in a container takes
it out of the place it was in and gives it (and whatever it contains) the container's quiz; leaving
it out of a list detaches it from the quiz without deleting it. Deleting a container deletes what is
in it. Only authors write (users whose user type may author or administer: staff and admins);
everyone reads.

Content sources (the quizzes a dynamic quiz draws from) belong to dynamic quizzes only; a settings
source (static quizzes only) gives its settings to the quiz now and whenever they change, and the
quiz's own settings cannot be edited while it has one.
"""

from __future__ import annotations

import copy

from mockserver.errors import Conflict, Forbidden
from mockserver.vendors.synap.errors import invalid, invalid_body
from mockserver.vendors.synap.ids import new_id
from mockserver.vendors.synap.records import ident, table

AUTHORING = {"author", "admin"}  # UserType permissions that may write quizzes


# -- who may write ----------------------------------------------------------------------------------


def is_author(call) -> bool:
    if call.is_admin:
        return True
    user = call.record("User", call.user_id or "")
    for group_ref in (user or {}).get("relationships", {}).get("userGroups") or []:
        group = call.record("UserGroup", group_ref["id"])
        user_type = (group or {}).get("relationships", {}).get("userType")
        kind = call.record("UserType", user_type["id"]) if user_type else None
        if kind and AUTHORING & set(kind["attributes"].get("permissions") or []):
            return True
    return False


def allow(call, action, record) -> None:
    if action not in ("list", "show") and not is_author(call):
        raise Forbidden("Only authors (staff and administrators) can change quizzes.")


# -- records and identifiers ------------------------------------------------------------------------


def _key(identifier: dict) -> tuple:
    return identifier["type"], identifier["id"]


def fetch(call, identifier: dict | None) -> dict | None:
    if not identifier or identifier["type"] not in call.registry.types:
        return None
    return call.store.get(table(identifier["type"]), identifier["id"])


def _relink(call, type_name: str, record_id: str, rels: dict) -> None:
    record = call.store.get(table(type_name), record_id)
    if record is not None:
        call.store.update(table(type_name), record_id, {"relationships": {**record["relationships"], **rels}})


# -- where an item sits -------------------------------------------------------------------------------


def slot(type_name: str, item: dict) -> tuple[str, str, str] | None:
    """(container type, container id, list) an item sits in, read from its own relationships."""
    rels = item["relationships"]
    if type_name == "QuizSection":
        return ("Quiz", rels["quiz"]["id"], "sections") if rels.get("quiz") else None
    for name, container in (("emqGroup", "QuizEmqGroup"), ("section", "QuizSection"), ("quiz", "Quiz")):
        if rels.get(name):
            return container, rels[name]["id"], "questions"
    return None


def placement(container_type: str, container: dict) -> dict:
    """The to-one relationships of an item that sits in ``container``."""
    if container_type == "Quiz":
        return {"quiz": ident("Quiz", container), "section": None, "emqGroup": None}
    quiz = container["relationships"].get("quiz")
    if container_type == "QuizSection":
        return {"quiz": quiz, "section": ident("QuizSection", container), "emqGroup": None}
    return {"quiz": quiz, "section": None, "emqGroup": ident("QuizEmqGroup", container)}


DETACHED = {"quiz": None, "section": None, "emqGroup": None}


def unlist(call, where: tuple[str, str, str], item: dict) -> None:
    container_type, container_id, name = where
    container = call.store.get(table(container_type), container_id)
    if container is None:
        return
    kept = [i for i in container["relationships"].get(name) or [] if _key(i) != _key(item)]
    _relink(call, container_type, container_id, {name: kept})


def _append(call, where: tuple[str, str, str], item: dict) -> None:
    container_type, container_id, name = where
    container = call.store.get(table(container_type), container_id)
    listed = container["relationships"].get(name) or []
    if _key(item) not in {_key(i) for i in listed}:
        _relink(call, container_type, container_id, {name: [*listed, item]})


def settle(call, item: dict, rels: dict, record: dict | None = None) -> None:
    """Give an item its place (only the relationships its type has) and carry its quiz down to what
    it contains. ``record``: the item itself when it is not stored yet (a create)."""
    rt = call.registry[item["type"]]
    rels = {k: v for k, v in rels.items() if k in rt.relationships}
    if record is not None:
        record["relationships"].update(rels)
        children = record["relationships"].get("questions") or []
    else:
        _relink(call, item["type"], item["id"], rels)
        children = (fetch(call, item) or {"relationships": {}})["relationships"].get("questions") or []
    if item["type"] != "Quiz" and "questions" in rt.relationships:
        for child in children:
            settle(call, child, {"quiz": rels.get("quiz")})


def move_in(call, container_type: str, container: dict, item: dict) -> None:
    """``item`` joins ``container`` (whose list the caller writes): it leaves its old place."""
    stored = fetch(call, item)
    old = slot(item["type"], stored) if stored else None
    if old and (old[0], old[1]) != (container_type, container["id"]):
        unlist(call, old, item)
    settle(call, item, placement(container_type, container))


def move_out(call, item: dict) -> None:
    settle(call, item, DETACHED)


def relist(call, container_type: str, container: dict, current: list, linked: list) -> None:
    """A container's list goes from ``current`` to ``linked``: newcomers move in, the left-out leave."""
    before, after = {_key(i) for i in current}, {_key(i) for i in linked}
    for item in current:
        if _key(item) not in after:
            move_out(call, item)
    for item in linked:
        if _key(item) not in before:
            move_in(call, container_type, container, item)


def place_new(call, type_name: str, record: dict, where: tuple[str, dict] | None) -> None:
    """A record being created joins the end of ``where`` = (container type, container)."""
    if where is None:
        return
    container_type, container = where
    name = "sections" if type_name == "QuizSection" else "questions"
    settle(call, ident(type_name, record), placement(container_type, container), record)
    _append(call, (container_type, container["id"], name), ident(type_name, record))


def purge(call, item: dict) -> None:
    """Delete an item and everything in it (a delete cascades down; inside the transaction)."""
    record = fetch(call, item)
    if record is None:
        return
    for child in record["relationships"].get("questions") or []:
        purge(call, child)
    call.store.delete(table(item["type"]), item["id"])


def _duplicate(call, item: dict, rels: dict, timestamp: str) -> dict | None:
    """Store a copy of ``item`` placed by ``rels`` and, in order, copies of what it contains."""
    record = fetch(call, item)
    if record is None:
        return None
    made = copy.deepcopy(record)
    made["id"] = new_id(call.store, item["type"])
    for stamp in ("createdAt", "updatedAt"):
        if stamp in made["attributes"]:
            made["attributes"][stamp] = timestamp
    rt = call.registry[item["type"]]
    made["relationships"].update({k: v for k, v in rels.items() if k in rt.relationships})
    for name in ("sections", "questions"):
        if name in made["relationships"]:
            inner = placement(item["type"], made)
            made["relationships"][name] = [c for c in (_duplicate(call, child, inner, timestamp)
                                                       for child in record["relationships"].get(name) or []) if c]
    call.store.insert(rt.table, made["id"], made)
    return ident(item["type"], made)


def copy_quiz(call, quiz: dict, **private) -> dict:
    """A new Quiz with its own copies of ``quiz``'s sections, EMQ groups and questions, in the same
    order and places (content and settings sources are shared, not copied). Inside the transaction."""
    made = _duplicate(call, ident("Quiz", quiz), {}, call.timestamp)
    if private:
        call.store.update(table("Quiz"), made["id"], private)
    return call.record("Quiz", made["id"])


def remove_quiz(call, record: dict) -> None:
    """Delete a quiz as Delete Quiz does: with its parts, unlinked as another quiz's source."""
    quiz.delete(call, record)
    call.store.delete(table("Quiz"), record["id"])


def container_of_new(call, type_name: str, record: dict) -> tuple[str, dict] | None:
    """Where a new question or EMQ group goes: its emqGroup, else its section, else its quiz."""
    rels = record["relationships"]
    for name, container_type in (("emqGroup", "QuizEmqGroup"), ("section", "QuizSection")):
        if rels.get(name):
            container = fetch(call, rels[name])
            quiz = rels.get("quiz")
            if quiz and container["relationships"].get("quiz") and quiz["id"] != container["relationships"]["quiz"]["id"]:
                raise invalid(("relationships", "quiz"), f"The {name} belongs to another quiz.")
            return container_type, container
    return ("Quiz", fetch(call, rels["quiz"])) if rels.get("quiz") else None


def replaced(call, type_name: str, before: dict, after: dict) -> None:
    """After a PATCH on the resource itself (whose relationships the controller wrote as given):
    bring the other side of each changed placement into step."""
    me = ident(type_name, after)
    old, new = slot(type_name, before), slot(type_name, after)
    if type_name != "Quiz" and old != new:
        if old:
            unlist(call, old, me)
        if new:
            container = call.store.get(table(new[0]), new[1])
            settle(call, me, placement(new[0], container))
            _append(call, new, me)
        else:
            settle(call, me, DETACHED)
    for name in ("sections", "questions"):
        if name in call.registry[type_name].relationships:
            current = before["relationships"].get(name) or []
            linked = after["relationships"].get(name) or []
            if current != linked:
                relist(call, type_name, call.store.get(table(type_name), after["id"]), current, linked)


# -- what a container adds up to ----------------------------------------------------------------------


def questions_in(call, container: dict) -> list[dict]:
    """The question records reachable from a container, in reading order (a quiz: its top level,
    then each section; an EMQ group stands for its stems)."""
    out: list[dict] = []
    lists = [container["relationships"].get("questions") or []]
    for section_ref in container["relationships"].get("sections") or []:
        section = fetch(call, section_ref)
        if section is not None:
            lists.append(section["relationships"].get("questions") or [])
    for listed in lists:
        for item in listed:
            record = fetch(call, item)
            if record is None:
                continue
            if item["type"] == "QuizEmqGroup":
                out += [r for r in map(lambda i: fetch(call, i), record["relationships"].get("questions") or []) if r]
            else:
                out.append(record)
    return out


def marks(question: dict) -> float:
    value = question["attributes"].get("marks")
    return value if isinstance(value, (int, float)) else 0


# -- Quiz ---------------------------------------------------------------------------------------------


def _check_sources(call, quiz: dict, sources: list, pointer: tuple) -> None:
    if sources and not quiz["attributes"].get("isDynamic"):
        raise Conflict("Only dynamic quizzes draw from content sources.")
    for n, source in enumerate(sources):
        if source["id"] == quiz["id"]:
            raise invalid_body((*pointer, n, "id"), "A quiz cannot be its own content source.")


def settings_changes(call, quiz: dict, source: dict | None, pointer: tuple) -> dict:
    """Link ``quiz`` to a settings source (or unlink with None): the changes to write."""
    if source is None:
        return {}
    if quiz["attributes"].get("isDynamic"):
        raise Conflict("A settings source is only applicable to static quizzes.")
    seen, step = {quiz["id"]}, source
    while step is not None:
        if step["id"] in seen:
            raise invalid_body(pointer, "The settings source chain would loop back to this quiz.")
        seen.add(step["id"])
        record = call.record("Quiz", step["id"])
        step = record["relationships"].get("settingsSource") if record else None
    source_record = call.record("Quiz", source["id"])
    return {"settings": copy.deepcopy(source_record["attributes"].get("settings"))}


def hand_down_settings(call, quiz: dict, seen: set | None = None) -> None:
    seen = (seen or set()) | {quiz["id"]}
    for other in call.store.rows(table("Quiz")):
        source = other["relationships"].get("settingsSource")
        if source and source["id"] == quiz["id"] and other["id"] not in seen:
            updated = call.store.update(table("Quiz"), other["id"], {"attributes": {
                **other["attributes"], "settings": copy.deepcopy(quiz["attributes"].get("settings"))}})
            hand_down_settings(call, updated, seen)


class QuizRules:
    allow = staticmethod(allow)

    def create(self, call, record, body) -> None:
        rels = record["relationships"]
        if rels.get("owner") is None and call.user_id:
            rels["owner"] = {"type": "User", "id": call.user_id}
        _check_sources(call, record, rels.get("contentSources") or [], ("data", "relationships", "contentSources", "data"))
        record["attributes"].update(settings_changes(call, record, rels.get("settingsSource"),
                                                     ("data", "relationships", "settingsSource", "data")))
        for name in ("sections", "questions"):
            for item in rels.get(name) or []:
                move_in(call, "Quiz", record, item)

    def update(self, call, record, changes) -> None:
        rels, attrs = record["relationships"], record["attributes"]
        if rels.get("settingsSource") and "settings" in changes and changes["settings"] != attrs.get("settings"):
            raise Conflict("This quiz takes its settings from its settings source; unlink it to edit them.")
        dynamic = changes.get("isDynamic", attrs.get("isDynamic"))
        if dynamic and rels.get("settingsSource"):
            raise Conflict("A quiz with a settings source must stay static; unlink the source first.")
        if not dynamic and rels.get("contentSources"):
            raise Conflict("A quiz with content sources must stay dynamic; remove them first.")

    def updated(self, call, before, after) -> None:
        replaced(call, "Quiz", before, after)
        source = after["relationships"].get("settingsSource")
        if source and source != before["relationships"].get("settingsSource"):  # linked by a PATCH of the quiz
            settings = (call.record("Quiz", source["id"]) or {"attributes": {}})["attributes"].get("settings")
            after["attributes"]["settings"] = copy.deepcopy(settings)  # the response is rendered from ``after``
            call.store.update(table("Quiz"), after["id"], {"attributes": copy.deepcopy(after["attributes"])})
        if before["attributes"].get("settings") != after["attributes"].get("settings"):
            hand_down_settings(call, after)

    def relink(self, call, record, name, linked) -> dict:
        if name == "contentSources":
            _check_sources(call, record, linked, ("data",))
        else:
            relist(call, "Quiz", record, record["relationships"].get(name) or [], linked)
        return {}

    def delete(self, call, record) -> None:
        for item in [*(record["relationships"].get("sections") or []), *(record["relationships"].get("questions") or [])]:
            purge(call, item)
        for other in call.store.rows(table("Quiz")):
            rels = other["relationships"]
            sources = [s for s in rels.get("contentSources") or [] if s["id"] != record["id"]]
            settings = rels.get("settingsSource")
            if sources != (rels.get("contentSources") or []) or (settings and settings["id"] == record["id"]):
                _relink(call, "Quiz", other["id"], {
                    "contentSources": sources,
                    "settingsSource": None if settings and settings["id"] == record["id"] else settings})

    def attributes(self, call, record) -> dict:
        questions = questions_in(call, record)
        return {"questionCount": len(questions), "sectionCount": len(record["relationships"].get("sections") or []),
                "totalMarks": sum(marks(q) for q in questions)}


class ContainerRules:
    """QuizSection and QuizEmqGroup: placed like questions, holding questions themselves."""

    allow = staticmethod(allow)

    def __init__(self, type_name: str):
        self.type_name = type_name

    def create(self, call, record, body) -> None:
        if self.type_name == "QuizSection":
            quiz = record["relationships"].get("quiz")
            where = ("Quiz", fetch(call, quiz)) if quiz else None
        else:
            where = container_of_new(call, self.type_name, record)
        place_new(call, self.type_name, record, where)
        for item in record["relationships"].get("questions") or []:
            move_in(call, self.type_name, record, item)
        if self.type_name == "QuizEmqGroup":
            check_options(record["attributes"].get("options") or [], ("attributes", "options"))

    def update(self, call, record, changes) -> None:
        if self.type_name == "QuizEmqGroup" and "options" in changes:
            check_options(changes["options"] or [], ("attributes", "options"))

    def updated(self, call, before, after) -> None:
        replaced(call, self.type_name, before, after)

    def relink(self, call, record, name, linked) -> dict:
        relist(call, self.type_name, record, record["relationships"].get(name) or [], linked)
        return {}

    def delete(self, call, record) -> None:
        for item in record["relationships"].get("questions") or []:
            purge(call, item)
        where = slot(self.type_name, record)
        if where:
            unlist(call, where, ident(self.type_name, record))

    def attributes(self, call, record) -> dict:
        questions = questions_in(call, record)
        out = {"questionCount": len(questions), "totalMarks": sum(marks(q) for q in questions)}
        if self.type_name == "QuizSection":
            quiz = fetch(call, record["relationships"].get("quiz"))
            order = [s["id"] for s in (quiz or {"relationships": {}})["relationships"].get("sections") or []]
            out["position"] = order.index(record["id"]) + 1 if record["id"] in order else None
        return out


def check_options(options: list, pointer: tuple) -> None:
    ids = [o.get("id") for o in options]
    if len(set(ids)) != len(ids):
        raise invalid(pointer, "Option ids must be unique.")


quiz = QuizRules()
section = ContainerRules("QuizSection")
emq_group = ContainerRules("QuizEmqGroup")
