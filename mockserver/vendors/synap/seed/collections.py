"""Seeded records of the Collections, Library groups.

The library first (files, embeds, contents of every kind, notes, SCORM courses, two surveys with
pages, questions and responses), then collections (``ctx.rows // 60``, at least 5) with ordered
folders, sub-folders and items of every kind showing that library, their mocks, accesses for the
core groups, and learners' progress, annotations and highlights. Records are written in the shape
the generic controller writes (records.blank); container lists are built in memory and written
once.
"""

from __future__ import annotations

from mockserver.seed import academy
from mockserver.vendors.synap.records import blank, ident, table
from mockserver.vendors.synap.rules import collections, library

FILES = [  # name, mimeType, size
    ("lecture-cell-biology.mp3", "audio/mpeg", 18_400_000), ("titration-demo.mp4", "video/mp4", 96_000_000),
    ("past-paper-2023.pdf", "application/pdf", 2_300_000), ("revision-checklist.pdf", "application/pdf", 410_000),
    ("periodic-table.png", "image/png", 880_000), ("practical-worksheets.zip", "application/zip", 12_500_000),
    ("fire-safety-scorm.zip", "application/zip", 31_000_000), ("data-protection-scorm.zip", "application/zip", 22_000_000),
]
EMBEDS = ["https://www.youtube.com/watch?v=URUJD5NEXC8", "https://vimeo.com/76979871"]
CONTENTS = [  # title, file index or embed index ("e", n)
    ("Cell biology lecture", 0), ("Titration walkthrough", 1), ("2023 past paper", 2), ("Revision checklist", 3),
    ("Periodic table poster", 4), ("Practical worksheets", 5), ("Photosynthesis explained", ("e", 0)),
    ("Exam technique talk", ("e", 1)),
]
KIND_OF_CONTENT = {"audio": "audio", "video": "video", "document": "document", "zip": "zip", "embed": "embed"}
NOTES = ["How to use this collection", "Command words", "Required practicals", "Marking criteria"]
SUBJECTS = ["GCSE Biology Revision", "A-Level Chemistry", "Exam Technique for Markers", "Year 10 Physics",
            "Archived: 2023 Revision Pack"]
FOLDERS = ["Getting started", "Core topics", "Practice", "Extension", "Past papers"]
SUB_FOLDERS = ["Week 1", "Week 2", "Key terms", "Worked examples", "Quick quizzes"]
TAGS = ["cells", "energy", "organic", "practical", "exam-skills", "maths", "required"]
KINDS = ["audio", "document", "embed", "note", "quiz", "video", "zip"]
SURVEYS = [
    ("Course feedback", False, [
        ("About you", [("How did you hear about the course?", "singleChoice", ["School", "Friend", "Online"], True),
                       ("Your year group", "text", None, False)]),
        ("The content", [("Rate the videos", "rating", None, True),
                         ("Which parts helped most?", "multipleChoice", ["Videos", "Notes", "Quizzes", "Past papers"], False),
                         ("Anything else?", "text", None, False)]),
        ("Thank you", [("Thanks for your feedback!", "informational", None, False)]),
    ]),
    ("Wellbeing check-in", True, [
        ("This week", [("How are you feeling about exams?", "rating", None, True),
                       ("What would help?", "text", None, False)]),
        ("Support", [("Would you like someone to contact you?", "singleChoice", ["Yes", "No"], True)]),
    ]),
]


class Writer:
    """blank() records, inserted when their lists are complete."""

    def __init__(self, store, world):
        self.store, self.registry, self.world = store, world.writer.registry, world
        self.pending: list[tuple[str, dict]] = []

    def make(self, type_name: str, attributes: dict, relationships: dict | None, created: str, **private) -> dict:
        record = blank(self.registry[type_name], self.store, created, attributes, relationships)
        record.update(private)
        self.pending.append((table(type_name), record))
        return record

    def flush(self) -> None:
        for table_name, record in self.pending:
            self.store.insert(table_name, record["id"], record)
        self.pending.clear()


def _library(w: Writer, ctx, world) -> dict:
    add, admin = world.writer.add, ident("User", world.admin)
    files = []
    for name, mime, size in FILES:
        record = w.make("File", {"name": name, "mimeType": mime, "size": size}, {"owner": admin},
                        ctx.timestamp(-400, -300))
        record["attributes"]["url"] = f"https://files.synap.example/seed/files/{record['id']}/{name}"
        files.append(record)
    w.flush()
    embeds = [add("ContentEmbedDatum", {**library.embed(url), "title": None, "width": None, "height": None})
              for url in EMBEDS]
    contents = []
    for title, source in CONTENTS:
        rels = {"owner": admin, "subPortal": None, "attachment": None, "embedData": None}
        if isinstance(source, tuple):
            rels["embedData"] = ident("ContentEmbedDatum", embeds[source[1]])
        else:
            rels["attachment"] = ident("File", files[source])
        contents.append(add("Content", {"title": title, "description": academy.blurb(ctx.faker.random_element, title),
                                        "shortDescription": None, "isLibraryItem": True}, rels))
    notes = [add("Note", {"title": title, "body": "<p>" + "</p><p>".join(academy.paragraphs(ctx.faker.random_element, 2)) + "</p>",
                          "isLibraryItem": True}, {"owner": admin}) for title in NOTES]
    for n, (title, version) in enumerate((("Fire safety at school", "scorm12"), ("Data protection basics", "scorm2004"))):
        created = ctx.timestamp(-200, -100)
        add("ScormCourse", {"title": title, "description": academy.blurb(ctx.faker.random_element, title), "version": version},
            {"owner": admin, "package": ident("File", files[6 + n])}, created, _startedAt=created)
    by_kind: dict[str, list[dict]] = {}
    for content in contents:
        kind = library.content_type(w.store, w.registry, content)
        by_kind.setdefault(kind, []).append(content)
    return {"contents": by_kind, "notes": notes}


def _surveys(w: Writer, ctx, world) -> None:
    admin = ident("User", world.admin)
    for title, anonymous, pages in SURVEYS:
        created = ctx.timestamp(-150, -90)
        survey = w.make("Survey", {"title": title, "description": None, "isAnonymous": anonymous, "isLibraryItem": True},
                        {"owner": admin}, created)
        questions = []
        for page_title, items in pages:
            page = w.make("SurveyPage", {"title": page_title, "description": None},
                          {"survey": ident("Survey", survey)}, created)
            survey["relationships"]["pages"].append(ident("SurveyPage", page))
            for prompt, kind, options, required in items:
                question = w.make("SurveyItem", {"prompt": prompt, "questionType": kind, "options": options,
                                                 "isRequired": required, "ratingScale": 5 if kind == "rating" else None},
                                  {"page": ident("SurveyPage", page), "survey": ident("Survey", survey)}, created)
                page["relationships"]["items"].append(ident("SurveyItem", question))
                questions.append(question["attributes"] | {"id": question["id"]})
        for learner in ctx.rng.sample(world.learners, min(5, len(world.learners))):
            answers = [{"surveyItem": q["id"], "value": _answer(ctx, q)} for q in questions
                       if q["questionType"] != "informational" and (q["isRequired"] or ctx.rng.random() < 0.6)]
            when = ctx.timestamp(-80, -2)
            w.make("SurveyResponse", {"answers": answers, "submittedAt": when},
                   {"survey": ident("Survey", survey), "user": None if anonymous else ident("User", learner)}, when)


def _answer(ctx, question: dict):
    kind, options = question["questionType"], question["options"]
    if kind == "rating":
        return ctx.rng.randint(1, question["ratingScale"])
    if kind == "singleChoice":
        return ctx.rng.choice(options)
    if kind == "multipleChoice":
        return ctx.rng.sample(options, ctx.rng.randint(1, len(options)))
    return ctx.faker.random_element(academy.FEEDBACK)


def _item(w: Writer, ctx, library_records: dict, quizzes: list[dict], collection: dict,
          folder: tuple[str, dict] | None, kind: str, created: str) -> dict:
    """An item of ``kind`` at the end of ``folder`` ((type, record)) or of the collection's top level."""
    rels = {"collection": ident("Collection", collection), "folder": ident(*folder) if folder else None}
    if kind == "note":
        rels["note"] = ident("Note", ctx.rng.choice(library_records["notes"]))
    elif kind == "quiz":
        rels["quiz"] = {"type": "Quiz", "id": ctx.rng.choice(quizzes)["id"]} if quizzes else None
    else:
        rels["content"] = ident("Content", ctx.rng.choice(library_records["contents"][KIND_OF_CONTENT[kind]]))
    extra = {"audio": {"durationSeconds": ctx.rng.randint(120, 3600), "transcript": None},
             "video": {"durationSeconds": ctx.rng.randint(60, 2400), "autoplay": False},
             "quiz": {"passScore": ctx.rng.choice([None, 50, 70]), "attemptsAllowed": ctx.rng.choice([None, 1, 3])},
             }.get(kind, {})
    tags = ctx.rng.sample(TAGS, ctx.rng.randint(0, 2))
    item = w.make(f"CollectionItem{kind.capitalize()}", {
        "itemType": kind, "title": ctx.faker.sentence(nb_words=4).rstrip("."), "description": None, "tags": tags,
        "isOptional": ctx.rng.random() < 0.2, "estimatedMinutes": ctx.rng.choice([None, 5, 10, 20, 45]), **extra,
    }, rels, created)
    container = folder[1] if folder else collection
    container["relationships"]["items"].append(ident("CollectionItem", item))
    return item


def _collections(w: Writer, ctx, world, library_records: dict) -> None:
    store, rng = w.store, ctx.rng
    quiz_type = w.registry.get("Quiz")  # the Quizzes part seeds before us, when it is merged
    quizzes = store.rows(quiz_type.table) if quiz_type else []
    groups = world.groups
    grants = {0: [("Students", "viewer")], 1: [("Year 10", "viewer"), ("Year 11", "viewer")],
              2: [("Markers", "editor"), ("Staff", "viewer")], 3: [("Year 10", "viewer")]}
    count = max(len(SUBJECTS), ctx.rows // 60)
    made = []
    for n in range(count):
        name = SUBJECTS[n] if n < len(SUBJECTS) else f"{ctx.faker.catch_phrase()} ({n})"
        created = ctx.timestamp(-300, -200)
        mocks = [{"id": None, "title": f"Mock {m + 1}", "filters": None, "quizLength": rng.choice([10, 20, 40]),
                  "passScore": 60, "examSittingAttrs": None, "timeInMs": rng.choice([None, 1_800_000, 3_600_000])}
                 for m in range(rng.randint(0, 2))]
        collection = w.make("Collection", {
            "name": name, "description": ctx.faker.paragraph(nb_sentences=2), "shortDescription": ctx.faker.sentence(),
            "settings": {"trackedProgress": {"enabled": True}}, "attr": {}, "extraInformation": None,
            "isArchived": name.startswith("Archived"), "annotationsEnabled": n != 3, "playerViewEnabled": n % 2 == 0,
            "mocks": [], "grades": [{"label": "Pass", "minScore": 60, "isPass": True, "description": None}],
        }, {"owner": ident("User", world.admin), "subPortal": None, "coverImage": None}, created)
        collection["attributes"]["mocks"] = collections.sync_mocks(store, w.registry, created, collection["id"], mocks)
        kinds = iter(rng.sample(KINDS, len(KINDS)) + [rng.choice(KINDS) for _ in range(6)])
        for _ in range(rng.randint(1, 2)):  # top-level items
            _item(w, ctx, library_records, quizzes, collection, None, next(kinds), created)
        for folder_name in rng.sample(FOLDERS, rng.randint(2, 3)):
            folder = w.make("CollectionFolder", {"name": folder_name}, {"collection": ident("Collection", collection)},
                            created)
            collection["relationships"]["folders"].append(ident("CollectionFolder", folder))
            for sub_name in rng.sample(SUB_FOLDERS, rng.randint(0, 2)):
                sub = w.make("CollectionSubFolder", {"name": sub_name},
                             {"collection": ident("Collection", collection), "folder": ident("CollectionFolder", folder)},
                             created)
                folder["relationships"]["items"].append(ident("CollectionSubFolder", sub))
                for _ in range(rng.randint(1, 2)):
                    _item(w, ctx, library_records, quizzes, collection, ("CollectionSubFolder", sub),
                          next(kinds, "note"), created)
            _item(w, ctx, library_records, quizzes, collection, ("CollectionFolder", folder), next(kinds, "document"),
                  created)
        for group_name, level in grants.get(n, [("Students", "viewer")] if n >= len(SUBJECTS) else []):
            w.make("CollectionAccess", {"level": level, "upgradeInstructionsType": None, "upgradeInstructionsData": None},
                   {"userGroup": ident("UserGroup", groups[group_name]), "collection": ident("Collection", collection)},
                   created)
        made.append(collection)
    w.flush()
    _learner_marks(w, ctx, world, made[0])


def _learner_marks(w: Writer, ctx, world, collection: dict) -> None:
    """Progress, annotations and highlights of some Students in the first collection."""
    rng, store = ctx.rng, w.store
    items = [i for i in store.rows(table("CollectionItem"))
             if i["relationships"]["collection"]["id"] == collection["id"]]
    for learner in rng.sample(world.learners, min(6, len(world.learners))):
        done = rng.sample(items, rng.randint(0, len(items)))
        when = ctx.timestamp(-60, -1)
        w.make("CollectionProgress", {"completedAt": when if len(done) == len(items) else None},
               {"user": ident("User", learner), "collection": ident("Collection", collection),
                "completedItems": [ident("CollectionItem", i) for i in done]}, when)
        item = rng.choice(items)
        marks = {"owner": ident("User", learner), "collectionItem": ident("CollectionItem", item),
                 "collection": ident("Collection", collection)}
        w.make("Annotation", {"body": ctx.faker.sentence(nb_words=9), "quote": None, "anchor": None,
                              "isShared": rng.random() < 0.3}, marks, when)
        start = rng.randint(0, 400)
        w.make("Highlight", {"text": ctx.faker.sentence(nb_words=5), "color": rng.choice(["yellow", "green", "blue"]),
                             "startOffset": start, "endOffset": start + rng.randint(10, 80)}, marks, when)
    w.flush()


def seed(store, ctx, world) -> None:
    w = Writer(store, world)
    library_records = _library(w, ctx, world)
    _surveys(w, ctx, world)
    w.flush()
    _collections(w, ctx, world, library_records)
