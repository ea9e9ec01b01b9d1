"""Synap quizzes: a quiz's structure (sections, questions of each kind, EMQ groups), the order the
relationship endpoints set and later reads show, content and settings sources, who may author."""

from __future__ import annotations

from synap_builders import SINGLE, STAFF, new_quiz, new_section, options, quiz_of, single
from synap_helpers import body, errors, everything, group_named, many, ok, one

def ids(linkage) -> list[str]:
    return [i["id"] for i in linkage["data"]]


def test_questions_created_in_a_quiz_join_it_in_order_and_count_towards_its_marks(synap):
    quiz = new_quiz(synap)
    assert quiz["relationships"]["owner"]["data"]["type"] == "User"
    first = single(synap, "2 + 2?", {"quiz": one("Quiz", quiz["id"])}, marks=2)
    second = ok(synap.post("/quiz-question-short-answers", json=body("QuizQuestionShortAnswer", {
        "body": "Capital of France?", "acceptedAnswers": ["Paris"]}, {"quiz": one("Quiz", quiz["id"])})), 201)["data"]
    assert second["attributes"]["questionType"] == "QuizQuestionShortAnswer"
    assert second["relationships"]["quiz"]["data"] == {"type": "Quiz", "id": quiz["id"]}
    read = quiz_of(synap, quiz["id"])
    assert ids(read["relationships"]["questions"]) == [first["id"], second["id"]]
    assert read["attributes"]["questionCount"] == 2 and read["attributes"]["totalMarks"] == 3
    # each kind's routes see only their own kind
    errors(synap.get(f"/quiz-question-short-answers/{first['id']}"), 404)
    listed = everything(synap, "/quiz-question-single-corrects", **{"filter[quiz]": quiz["id"]})
    assert [q["id"] for q in listed] == [first["id"]]


def test_update_quiz_questions_reorders_and_detaches_what_it_leaves_out(synap):
    quiz = new_quiz(synap)
    a, b, c = (single(synap, text, {"quiz": one("Quiz", quiz["id"])}) for text in "abc")
    url = f"/quizzes/{quiz['id']}/relationships/questions"
    assert ids(ok(synap.patch(url, json=many(SINGLE, c["id"], a["id"])))) == [c["id"], a["id"]]
    assert ids(quiz_of(synap, quiz["id"])["relationships"]["questions"]) == [c["id"], a["id"]]
    left_out = ok(synap.get(f"/quiz-question-single-corrects/{b['id']}"))["data"]
    assert left_out["relationships"]["quiz"]["data"] is None  # detached, not deleted
    assert quiz_of(synap, quiz["id"])["attributes"]["questionCount"] == 2


def test_sections_reorder_and_positions_follow(synap):
    quiz = new_quiz(synap, isSectioned=True)
    one_, two, three = (new_section(synap, quiz["id"], name) for name in ("Part A", "Part B", "Part C"))
    assert [s["attributes"]["position"] for s in (one_, two, three)] == [1, 2, 3]
    url = f"/quizzes/{quiz['id']}/relationships/sections"
    ok(synap.patch(url, json=many("QuizSection", three["id"], one_["id"], two["id"])))
    listed = everything(synap, "/quiz-sections", **{"filter[quiz]": quiz["id"], "sort": "position"})
    assert [s["attributes"]["name"] for s in listed] == ["Part C", "Part A", "Part B"]
    assert quiz_of(synap, quiz["id"])["attributes"]["sectionCount"] == 3


def test_add_and_update_section_questions_move_questions_between_places(synap):
    quiz = new_quiz(synap, isSectioned=True)
    part_a, part_b = new_section(synap, quiz["id"], "Part A"), new_section(synap, quiz["id"], "Part B")
    top = single(synap, "top level", {"quiz": one("Quiz", quiz["id"])})
    in_a = single(synap, "in A", {"section": one("QuizSection", part_a["id"])})
    assert in_a["relationships"]["quiz"]["data"]["id"] == quiz["id"]  # the section's quiz
    loose = single(synap, "from the bank")

    url_b = f"/quiz-sections/{part_b['id']}/relationships/questions"
    added = ok(synap.post(url_b, json=many(SINGLE, top["id"], loose["id"], in_a["id"])))
    assert ids(added) == [top["id"], loose["id"], in_a["id"]]
    assert ids(quiz_of(synap, quiz["id"])["relationships"]["questions"]) == []  # top left the top level
    assert ok(synap.get(f"/quiz-sections/{part_a['id']}"))["data"]["relationships"]["questions"]["data"] == []
    moved = ok(synap.get(f"/quiz-question-single-corrects/{loose['id']}"))["data"]["relationships"]
    assert moved["quiz"]["data"]["id"] == quiz["id"] and moved["section"]["data"]["id"] == part_b["id"]
    # adding one already there keeps its place
    assert ids(ok(synap.post(url_b, json=many(SINGLE, top["id"])))) == [top["id"], loose["id"], in_a["id"]]

    assert ids(ok(synap.patch(url_b, json=many(SINGLE, in_a["id"], top["id"])))) == [in_a["id"], top["id"]]
    section = ok(synap.get(f"/quiz-sections/{part_b['id']}", params={"include": "questions"}))
    assert [q["id"] for q in section["included"]] == [in_a["id"], top["id"]]
    assert section["data"]["attributes"]["questionCount"] == 2
    assert ok(synap.get(f"/quiz-question-single-corrects/{loose['id']}"))["data"]["relationships"]["quiz"]["data"] is None
    errs = errors(synap.post(url_b, json=many("QuizSection", part_a["id"])), 400)
    assert errs[0]["source"]["pointer"] == "/data/0/type"


def test_deleting_a_section_deletes_its_questions_and_leaves_the_quiz(synap):
    quiz = new_quiz(synap)
    keep, gone = new_section(synap, quiz["id"], "Keep"), new_section(synap, quiz["id"], "Gone")
    question = single(synap, "goes with its section", {"section": one("QuizSection", gone["id"])})
    assert synap.delete(f"/quiz-sections/{gone['id']}").status_code == 204
    errors(synap.get(f"/quiz-question-single-corrects/{question['id']}"), 404)
    assert ids(quiz_of(synap, quiz["id"])["relationships"]["sections"]) == [keep["id"]]
    assert ok(synap.get(f"/quiz-sections/{keep['id']}"))["data"]["attributes"]["position"] == 1


def test_deleting_a_quiz_deletes_its_parts_and_unlinks_it_as_a_source(synap):
    bank = new_quiz(synap, "Bank")
    section = new_section(synap, bank["id"], "Only")
    question = single(synap, "q", {"section": one("QuizSection", section["id"])})
    dynamic = new_quiz(synap, "Drawn", {"contentSources": many("Quiz", bank["id"])}, isDynamic=True, quizLength=1)
    assert synap.delete(f"/quizzes/{bank['id']}").status_code == 204
    errors(synap.get(f"/quiz-sections/{section['id']}"), 404)
    errors(synap.get(f"/quiz-question-single-corrects/{question['id']}"), 404)
    assert quiz_of(synap, dynamic["id"])["relationships"]["contentSources"]["data"] == []


def test_emq_groups_hold_stems_that_leave_with_them(synap):
    quiz = new_quiz(synap)
    group = ok(synap.post("/quiz-emq-groups", json=body("QuizEmqGroup", {
        "title": "Match the organ", "options": [{"id": "h", "text": "Heart"}, {"id": "l", "text": "Lung"}]},
        {"quiz": one("Quiz", quiz["id"])})), 201)["data"]
    stem1 = single(synap, "Pumps blood", {"emqGroup": one("QuizEmqGroup", group["id"])})
    stem2 = single(synap, "Exchanges gas", {"emqGroup": one("QuizEmqGroup", group["id"])})
    assert stem1["relationships"]["quiz"]["data"]["id"] == quiz["id"]
    read = quiz_of(synap, quiz["id"])
    assert read["relationships"]["questions"]["data"] == [{"type": "QuizEmqGroup", "id": group["id"]}]
    assert read["attributes"]["questionCount"] == 2  # the stems count, not the group
    url = f"/quiz-emq-groups/{group['id']}/relationships/questions"
    assert ids(ok(synap.patch(url, json=many(SINGLE, stem2["id"], stem1["id"])))) == [stem2["id"], stem1["id"]]
    errs = errors(synap.patch(url, json=many("QuizQuestionFreeText", stem1["id"])), 400)
    assert errs[0]["source"]["pointer"] == "/data/0/type"
    errs = errors(synap.post("/quiz-question-free-texts", json=body("QuizQuestionFreeText", {"body": "Essay"}, {
        "emqGroup": one("QuizEmqGroup", group["id"])})), 400)
    assert errs[0]["source"]["pointer"] == "/data/relationships/emqGroup"
    assert synap.delete(f"/quiz-emq-groups/{group['id']}").status_code == 204
    errors(synap.get(f"/quiz-question-single-corrects/{stem1['id']}"), 404)
    assert quiz_of(synap, quiz["id"])["relationships"]["questions"]["data"] == []


def test_content_sources_belong_to_dynamic_quizzes_only(synap):
    bank, other = new_quiz(synap, "Bank"), new_quiz(synap, "Other bank")
    static = new_quiz(synap, "Static")
    errors(synap.patch(f"/quizzes/{static['id']}/relationships/contentSources", json=many("Quiz", bank["id"])), 409)
    dynamic = new_quiz(synap, "Drawn", isDynamic=True, quizLength=5)
    url = f"/quizzes/{dynamic['id']}/relationships/contentSources"
    assert ids(ok(synap.patch(url, json=many("Quiz", other["id"], bank["id"])))) == [other["id"], bank["id"]]
    assert ids(quiz_of(synap, dynamic["id"])["relationships"]["contentSources"]) == [other["id"], bank["id"]]
    errs = errors(synap.patch(url, json=many("Quiz", bank["id"], dynamic["id"])), 400)
    assert errs[0]["source"]["pointer"] == "/data/1/id"
    errors(synap.patch(f"/quizzes/{dynamic['id']}", json=body("Quiz", {"isDynamic": False}, id=dynamic["id"])), 409)
    errors(synap.post("/quizzes", json=body("Quiz", {"name": "x"}, {"contentSources": many("Quiz", bank["id"])})), 409)


def test_a_settings_source_hands_its_settings_down_and_locks_them(synap):
    source = new_quiz(synap, "Template", settings={"timeLimitMs": 600000, "shuffleQuestions": True})
    quiz = new_quiz(synap, "Follower", settings={"timeLimitMs": 60000})
    url = f"/quizzes/{quiz['id']}/relationships/settingsSource"
    linked = ok(synap.patch(url, json=one("Quiz", source["id"])))
    assert linked["data"] == {"type": "Quiz", "id": source["id"]}
    assert quiz_of(synap, quiz["id"])["attributes"]["settings"] == {"timeLimitMs": 600000, "shuffleQuestions": True}
    ok(synap.patch(f"/quizzes/{source['id']}", json=body("Quiz", {"settings": {"timeLimitMs": 1200000}}, id=source["id"])))
    assert quiz_of(synap, quiz["id"])["attributes"]["settings"] == {"timeLimitMs": 1200000}
    errors(synap.patch(f"/quizzes/{quiz['id']}", json=body("Quiz", {"settings": {"timeLimitMs": 5}}, id=quiz["id"])), 409)
    errs = errors(synap.patch(f"/quizzes/{source['id']}/relationships/settingsSource", json=one("Quiz", quiz["id"])), 400)
    assert errs[0]["source"]["pointer"] == "/data/id"  # a loop
    dynamic = new_quiz(synap, "Drawn", isDynamic=True)
    errors(synap.patch(f"/quizzes/{dynamic['id']}/relationships/settingsSource", json=one("Quiz", source["id"])), 409)
    assert ok(synap.patch(url, json={"data": None}))["data"] is None
    changed = ok(synap.patch(f"/quizzes/{quiz['id']}", json=body("Quiz", {"settings": {"timeLimitMs": 5}}, id=quiz["id"])))
    assert changed["data"]["attributes"]["settings"] == {"timeLimitMs": 5}
    relinked = ok(synap.patch(f"/quizzes/{quiz['id']}", json=body("Quiz", id=quiz["id"], relationships={
        "settingsSource": one("Quiz", source["id"])})))  # linking through the quiz itself takes the settings too
    assert relinked["data"]["attributes"]["settings"] == {"timeLimitMs": 1200000}
    assert quiz_of(synap, quiz["id"])["attributes"]["settings"] == {"timeLimitMs": 1200000}


def test_each_kind_refuses_an_unsound_answer_key_field_by_field(synap):
    cases = [
        ("/quiz-question-single-corrects", SINGLE, {"body": "b", "options": options() + [
            {"id": "o9", "text": "also right", "isCorrect": True}]}, "/data/attributes/options"),
        ("/quiz-question-multiple-corrects", "QuizQuestionMultipleCorrect",
         {"body": "b", "options": options(correct=-1)}, "/data/attributes/options"),
        ("/quiz-question-rankeds", "QuizQuestionRanked", {"body": "b", "items": [{"id": "a", "text": "A"}]},
         "/data/attributes/items"),
        ("/quiz-question-short-answers", "QuizQuestionShortAnswer", {"body": "b", "acceptedAnswers": []},
         "/data/attributes/acceptedAnswers"),
        ("/quiz-question-free-texts", "QuizQuestionFreeText", {"body": "b", "minWords": 300, "maxWords": 100},
         "/data/attributes/minWords"),
        ("/quiz-question-cloze-texts", "QuizQuestionClozeText", {"body": "b", "text": "The {{g1}} sat on the {{g2}}.",
         "gaps": [{"id": "g1", "acceptedAnswers": ["cat"]}]}, "/data/attributes/text"),
        ("/quiz-question-cloze-drop-downs", "QuizQuestionClozeDropDown", {"body": "b", "text": "Pick {{g}}",
         "gaps": [{"id": "g", "options": options(correct=-1)}]}, "/data/attributes/gaps/0/options"),
        ("/quiz-question-cloze-drag-and-drops", "QuizQuestionClozeDragAndDrop", {"body": "b", "text": "Drop {{g}}",
         "tokens": [{"id": "t1", "text": "cat"}], "gaps": [{"id": "g", "correctTokenId": "t2"}]},
         "/data/attributes/gaps/0/correctTokenId"),
    ]
    for path, type_name, attributes, pointer in cases:
        errs = errors(synap.post(path, json=body(type_name, attributes)), 400)
        assert pointer in [e["source"]["pointer"] for e in errs], (type_name, errs)
    made = single(synap, "sound")
    url = f"/quiz-question-single-corrects/{made['id']}"
    errs = errors(synap.patch(url, json=body(SINGLE, {"options": options(correct=-1)}, id=made["id"])), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/options"
    fixed = ok(synap.patch(url, json=body(SINGLE, {"options": options(correct=2)}, id=made["id"])))["data"]
    assert [o["isCorrect"] for o in fixed["attributes"]["options"]] == [False, False, True]


def test_every_kind_can_be_authored(synap):
    kinds = {
        "audio-recordings": ("AudioRecording", {"maxDurationSeconds": 60}),
        "video-recordings": ("VideoRecording", {"maxRecordings": 2}),
        "file-uploads": ("FileUpload", {"allowedFileTypes": ["pdf"]}),
        "informationals": ("Informational", {}),
        "cloze-texts": ("ClozeText", {"text": "A {{x}}", "gaps": [{"id": "x", "acceptedAnswers": ["cat"]}]}),
        "cloze-drop-downs": ("ClozeDropDown", {"text": "A {{x}}", "gaps": [{"id": "x", "options": options()}]}),
        "cloze-drag-and-drops": ("ClozeDragAndDrop", {"text": "A {{x}}", "tokens": [{"id": "t", "text": "cat"}],
                                                     "gaps": [{"id": "x", "correctTokenId": "t"}]}),
        "rankeds": ("Ranked", {"items": [{"id": "1", "text": "one"}, {"id": "2", "text": "two"}]}),
    }
    quiz = new_quiz(synap)
    for path, (kind, attributes) in kinds.items():
        made = ok(synap.post(f"/quiz-question-{path}", json=body(f"QuizQuestion{kind}", {"body": kind, **attributes},
                                                                 {"quiz": one("Quiz", quiz["id"])})), 201)["data"]
        assert made["attributes"]["questionType"] == f"QuizQuestion{kind}"
        changed = ok(synap.patch(f"/quiz-question-{path}/{made['id']}", json=body(
            f"QuizQuestion{kind}", {"explanation": "why"}, id=made["id"])))["data"]
        assert changed["attributes"]["explanation"] == "why"
    read = quiz_of(synap, quiz["id"])
    assert read["attributes"]["questionCount"] == len(kinds)
    assert read["attributes"]["totalMarks"] == len(kinds) - 1  # informational carries no marks


def test_patching_a_questions_relationships_moves_it_too(synap):
    quiz = new_quiz(synap)
    section = new_section(synap, quiz["id"], "Later")
    question = single(synap, "moves", {"quiz": one("Quiz", quiz["id"])})
    ok(synap.patch(f"/quiz-question-single-corrects/{question['id']}", json=body(
        SINGLE, id=question["id"], relationships={"section": one("QuizSection", section["id"])})))
    assert quiz_of(synap, quiz["id"])["relationships"]["questions"]["data"] == []
    assert ids(ok(synap.get(f"/quiz-sections/{section['id']}"))["data"]["relationships"]["questions"]) == [question["id"]]


def test_staff_author_quizzes_and_everyone_reads_them(synap):
    quiz = ok(synap.post("/quizzes", json=body("Quiz", {"name": "Staff quiz"}), headers=STAFF), 201)["data"]
    staff = everything(synap, "/users", **{"filter[emailAddress]": "marker@demo-academy.synap.example"})[0]
    assert quiz["relationships"]["owner"]["data"]["id"] == staff["id"]
    ok(synap.post("/quiz-sections", json=body("QuizSection", {"name": "S"}, {"quiz": one("Quiz", quiz["id"])}),
                  headers=STAFF), 201)
    ok(synap.get(f"/quizzes/{quiz['id']}", headers=STAFF))
    # authoring comes from the user type of the user's groups: out of every staff group, only reading is left
    for name in ("Staff", "Markers"):
        group = group_named(synap, name)
        assert synap.delete(f"/user-groups/{group['id']}/relationships/users", json=many("User", staff["id"])).status_code == 204
    errors(synap.post("/quizzes", json=body("Quiz", {"name": "Not any more"}), headers=STAFF), 403)
    errors(synap.patch(f"/quizzes/{quiz['id']}/relationships/sections", json=many("QuizSection"), headers=STAFF), 403)
    errors(synap.patch(f"/quizzes/{quiz['id']}/relationships/settingsSource", json={"data": None}, headers=STAFF), 403)
    assert ok(synap.get(f"/quizzes/{quiz['id']}", headers=STAFF))["data"]["attributes"]["name"] == "Staff quiz"


def test_the_seeded_world_has_quizzes_in_sections_tests_for_learners_and_finished_exports(synap):
    sections = everything(synap, "/quiz-sections", include="quiz")
    assert sections and all(s["relationships"]["quiz"]["data"] for s in sections)
    quiz_id = sections[0]["relationships"]["quiz"]["data"]["id"]
    quiz = quiz_of(synap, quiz_id)
    assert quiz["attributes"]["isSectioned"] and quiz["attributes"]["questionCount"] >= 4
    breakdown = ok(synap.get(f"/quiz-tag-breakdowns/{quiz_id}"))["data"]["attributes"]
    assert sum(t["questionCount"] for t in breakdown["tags"]) >= quiz["attributes"]["questionCount"]
    tests = everything(synap, "/tests", include="questions")
    assert tests and all(t["attributes"]["questionCount"] == len(t["relationships"]["questions"]["data"]) for t in tests)
    drawn = {t["relationships"]["quiz"]["data"]["id"] for t in tests}
    assert any(quiz_of(synap, q)["attributes"]["isDynamic"] for q in drawn) or len(drawn) >= 2
    for kind in ("single-corrects", "short-answers", "free-texts"):
        assert everything(synap, f"/quiz-question-{kind}")
