"""Seeded records of the Quizzes group: static quizzes by subject (some in sections, one with an EMQ
group, one taking its settings from another), dynamic quizzes drawing from them, tests generated
for learners, and finished exports. Every question carries its subject's tag (and sometimes a
difficulty), so tag breakdowns and filter rules have something to count."""

from __future__ import annotations

from types import SimpleNamespace

from mockserver.errors import InvalidRequest
from mockserver.seed import academy
from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules import quiz_tests, quizzes

SUBJECTS = ("Algebra", "Geometry", "Biology", "Chemistry", "History", "French")
KINDS = (  # (kind, weight)
    ("SingleCorrect", 6), ("MultipleCorrect", 3), ("ShortAnswer", 3), ("FreeText", 2), ("Ranked", 1),
    ("ClozeText", 1), ("ClozeDropDown", 1), ("ClozeDragAndDrop", 1), ("FileUpload", 1), ("AudioRecording", 1),
    ("VideoRecording", 1), ("Informational", 1),
)
SETTINGS = {"timeLimitMs": 1_800_000, "shuffleQuestions": False, "passScore": 60, "allowReview": True}


def _options(rng, faker, n: int, correct: set[int]) -> list[dict]:
    return [{"id": f"o{i + 1}", "text": faker.word().capitalize(), "isCorrect": i in correct} for i in range(n)]


def _attributes(kind: str, rng, faker) -> dict:
    """A sound answer key for each kind (what quiz_questions.problems accepts)."""
    marks = {"marks": rng.choice((1, 1, 2, 3))}
    if kind == "SingleCorrect":
        return {**marks, "options": _options(rng, faker, 4, {rng.randrange(4)})}
    if kind == "MultipleCorrect":
        return {**marks, "options": _options(rng, faker, 5, set(rng.sample(range(5), 2)))}
    if kind == "ShortAnswer":
        return {**marks, "acceptedAnswers": [faker.word()]}
    if kind == "FreeText":
        return {"marks": 10, "minWords": 100, "maxWords": 400, "markScheme": faker.sentence()}
    if kind == "Ranked":
        return {**marks, "items": [{"id": f"i{n}", "text": faker.word()} for n in range(1, 5)]}
    if kind == "ClozeText":
        return {**marks, "text": "The {{g1}} of the {{g2}}.", "gaps": [
            {"id": "g1", "acceptedAnswers": [faker.word()]}, {"id": "g2", "acceptedAnswers": [faker.word()]}]}
    if kind == "ClozeDropDown":
        return {**marks, "text": "Choose {{g1}} here.", "gaps": [{"id": "g1", "options": _options(rng, faker, 3, {0})}]}
    if kind == "ClozeDragAndDrop":
        return {**marks, "text": "Drag {{g1}} and {{g2}}.", "tokens": [{"id": "t1", "text": faker.word()},
                                                                         {"id": "t2", "text": faker.word()}],
                "gaps": [{"id": "g1", "correctTokenId": "t1"}, {"id": "g2", "correctTokenId": "t2"}]}
    if kind == "FileUpload":
        return {**marks, "allowedFileTypes": ["pdf", "docx"], "maxFiles": 1, "maxFileSizeMb": 10}
    if kind in ("AudioRecording", "VideoRecording"):
        return {**marks, "maxDurationSeconds": 120, "maxRecordings": 2}
    return {}


class _Builder:
    def __init__(self, store, ctx, world):
        self.store, self.ctx, self.world, self.w = store, ctx, world, world.writer
        self.call = SimpleNamespace(store=store, registry=self.w.registry)  # what the placement rules read

    def put(self, type_name: str, attributes: dict, where: tuple[str, dict] | None = None,
            relationships: dict | None = None, created: str | None = None) -> dict:
        """Add a record at the end of ``where`` = (container type, container)."""
        rt = self.w.registry[type_name]
        rels = dict(relationships or {})
        if where:
            rels.update({k: v for k, v in quizzes.placement(*where).items() if k in rt.relationships})
        record = self.w.add(type_name, attributes, rels, created)
        if where:
            container_type, container = where
            name = "sections" if type_name == "QuizSection" else "questions"
            table_name = table(container_type)
            stored = self.store.get(table_name, container["id"])
            listed = [*stored["relationships"][name], ident(type_name, record)]
            self.store.update(table_name, container["id"], {"relationships": {**stored["relationships"], name: listed}})
        return record

    def question(self, subject: str, where, created: str) -> dict:
        rng, faker = self.ctx.rng, self.ctx.faker
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        type_name = f"QuizQuestion{kind}"
        tags = [subject.lower()] + ([rng.choice(("easy", "hard"))] if rng.random() < 0.5 else [])
        return self.put(type_name, {
            "questionType": type_name, "body": faker.random_element(academy.QUESTIONS),
            "explanation": faker.random_element(academy.EXPLANATIONS) if rng.random() < 0.4 else None,
            "tags": tags, "attr": None,
            **_attributes(kind, rng, faker)}, where, created=created)

    def static_quiz(self, subject: str, n: int, sectioned: bool) -> dict:
        rng, world = self.ctx.rng, self.world
        created = self.ctx.timestamp(-180, -60)
        owner = rng.choice((world.admin, world.staff))
        quiz = self.put("Quiz", {
            "name": f"{subject} check {n}", "description": f"Practice questions on {subject.lower()}.",
            "isDynamic": False, "isSectioned": sectioned, "quizLength": None, "filterRules": None,
            "settings": dict(SETTINGS, timeLimitMs=rng.choice((900_000, 1_800_000, 3_600_000))), "attr": None,
            "isArchived": rng.random() < 0.1}, relationships={"owner": ident("User", owner)}, created=created)
        if sectioned:
            for part in ("Part A", "Part B"):
                section = self.put("QuizSection", {"name": part, "instructions": "Answer every question.",
                                                   "timeLimitMs": None, "quizLength": None, "filterRules": None,
                                                   "attr": None}, ("Quiz", quiz), created=created)
                for _ in range(rng.randint(2, 4)):
                    self.question(subject, ("QuizSection", section), created)
        else:
            for _ in range(rng.randint(4, 7)):
                self.question(subject, ("Quiz", quiz), created)
        return self.store.get(table("Quiz"), quiz["id"])

    def emq_group(self, quiz: dict) -> None:
        faker, created = self.ctx.faker, quiz["attributes"]["createdAt"]
        options = [{"id": f"e{n}", "text": faker.word().capitalize()} for n in range(1, 6)]
        group = self.put("QuizEmqGroup", {"title": "Match each description to a term",
                                          "instructions": "Each option may be used once, more than once or not at all.",
                                          "options": options, "attr": None}, ("Quiz", quiz), created=created)
        for n in range(3):
            single = "QuizQuestionSingleCorrect"
            self.put(single, {"questionType": single, "body": faker.sentence(), "marks": 1, "explanation": None,
                              "tags": [quiz["attributes"]["name"].split()[0].lower()], "attr": None,
                              "options": [{**o, "isCorrect": i == n} for i, o in enumerate(options)]},
                     ("QuizEmqGroup", group), created=created)


def seed(store, ctx, world) -> None:
    b, rng = _Builder(store, ctx, world), ctx.rng
    quiz_table = table("Quiz")
    statics = [b.static_quiz(SUBJECTS[n % len(SUBJECTS)], n // len(SUBJECTS) + 1, sectioned=n % 3 == 2)
               for n in range(min(6 + ctx.rows // 100, 30))]
    b.emq_group(statics[0])

    # the second quiz takes its settings from the first (static quizzes only)
    follower, template = statics[1], statics[0]
    store.update(quiz_table, follower["id"], {
        "attributes": {**follower["attributes"], "settings": dict(template["attributes"]["settings"])},
        "relationships": {**follower["relationships"], "settingsSource": ident("Quiz", template)}})

    algebra, geometry = statics[0], statics[1]
    dynamic = [
        b.put("Quiz", {"name": "Maths mock exam", "description": "Drawn from the algebra and geometry banks.",
                       "isDynamic": True, "isSectioned": False, "quizLength": 4, "attr": None, "settings": dict(SETTINGS),
                       "filterRules": [{"operator": "or", "tags": ["algebra"], "questionCount": 2},
                                       {"operator": "or", "tags": ["geometry"], "questionCount": 2}]},
              relationships={"owner": ident("User", world.admin),
                             "contentSources": [ident("Quiz", algebra), ident("Quiz", geometry)]},
              created=ctx.timestamp(-50, -40)),
        b.put("Quiz", {"name": "Mixed revision", "description": "Five questions from every bank.",
                       "isDynamic": True, "isSectioned": False, "quizLength": 5, "attr": None, "settings": None,
                       "filterRules": None},
              relationships={"owner": ident("User", world.staff),
                             "contentSources": [ident("Quiz", q) for q in statics[:4]]},
              created=ctx.timestamp(-50, -40)),
    ]

    call = b.call
    for n, learner in enumerate(world.learners[:6]):
        quiz = store.get(quiz_table, rng.choice([*statics[:4], *dynamic])["id"])
        created = ctx.timestamp(-30, -2)
        try:
            chosen = quiz_tests.draw(call, quiz, length=None, tags=[], shuffle=n % 2 == 0, seed=f"{quiz['id']}:{n}")
        except InvalidRequest:  # a bank this seed left too small for the quiz's rules: no test from it
            continue
        test = world.writer.add("Test", {}, {"quiz": ident("Quiz", quiz), "user": ident("User", learner)}, created)
        store.update(table("Test"), test["id"], {
            "attributes": {**test["attributes"], "name": quiz["attributes"]["name"], "questionCount": len(chosen),
                           "totalMarks": sum(quizzes.marks(q) for q in chosen), "tags": [], "shuffled": n % 2 == 0},
            "relationships": {**test["relationships"],
                              "questions": [ident(q["attributes"]["questionType"], q) for q in chosen]}})
        world.writer.add("GeneratedTest", {"name": None, "length": None, "tags": [], "shuffle": n % 2 == 0,
                                           "questionCount": len(chosen)},
                         {"quiz": ident("Quiz", quiz), "user": ident("User", learner), "test": ident("Test", test)},
                         created)

    for quiz in statics[:3]:
        world.writer.add("QuizPdfExport", {"includeAnswers": rng.random() < 0.5}, {"quiz": ident("Quiz", quiz)},
                         ctx.timestamp(-20, -5), _fileName=f"quiz-{quiz['id']}.pdf")
    world.writer.add("QuestionExport", {"format": "csv"}, {"quiz": ident("Quiz", statics[0])},
                     ctx.timestamp(-20, -5), _fileName=f"questions-{statics[0]['id']}.csv")
