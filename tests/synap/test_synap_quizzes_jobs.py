"""Synap quizzes, what is made from them: generated tests (at once and as a job on the sandbox clock),
exports that complete with a fileUrl, imports and their validations, setup validation, tag breakdowns."""

from __future__ import annotations

from synap_helpers import body, errors, everything, many, ok, one
from synap_builders import SINGLE, STAFF, new_quiz, new_section, options, quiz_of, single


def bank(synap, tags_per_question: list[list[str]], name="Bank") -> tuple[dict, list[dict]]:
    quiz = new_quiz(synap, name)
    made = [single(synap, f"Q{n}", {"quiz": one("Quiz", quiz["id"])}, tags=tags, marks=n + 1)
            for n, tags in enumerate(tags_per_question)]
    return quiz, made


def test_a_generated_test_of_a_static_quiz_has_its_questions_in_order(synap):
    quiz, made = bank(synap, [["algebra"], ["geometry"], ["algebra", "hard"]])
    generated = ok(synap.post("/generated-tests", json=body("GeneratedTest", {}, {"quiz": one("Quiz", quiz["id"])})), 201)
    test_id = generated["data"]["relationships"]["test"]["data"]["id"]
    assert generated["data"]["attributes"]["questionCount"] == 3
    test = ok(synap.get(f"/tests/{test_id}"))["data"]
    assert [q["id"] for q in test["relationships"]["questions"]["data"]] == [q["id"] for q in made]
    assert test["attributes"]["name"] == "Bank" and test["attributes"]["totalMarks"] == 6
    narrowed = ok(synap.post("/generated-tests", json=body("GeneratedTest", {"tags": ["algebra"], "name": "Algebra"}, {
        "quiz": one("Quiz", quiz["id"])})), 201)["data"]
    test = ok(synap.get(f"/tests/{narrowed['relationships']['test']['data']['id']}"))["data"]
    assert [q["id"] for q in test["relationships"]["questions"]["data"]] == [made[0]["id"], made[2]["id"]]
    errs = errors(synap.post("/generated-tests", json=body("GeneratedTest", {"length": 4}, {
        "quiz": one("Quiz", quiz["id"])})), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/length"
    errs = errors(synap.post("/generated-tests", json=body("GeneratedTest", {})), 400)
    assert errs[0]["source"]["pointer"] == "/data/relationships/quiz"


def test_a_dynamic_quiz_draws_by_its_filter_rules_from_its_content_sources(synap):
    source, made = bank(synap, [["algebra"], ["algebra"], ["algebra"], ["geometry"], ["geometry"], []])
    quiz = new_quiz(synap, "Mock exam", {"contentSources": many("Quiz", source["id"])}, isDynamic=True, quizLength=3,
                    filterRules=[{"operator": "or", "tags": ["algebra"], "questionCount": 2},
                                 {"operator": "and", "tags": ["geometry"], "questionCount": 1}])
    by_id = {q["id"]: q for q in made}
    drawn = []
    for _ in range(3):
        generated = ok(synap.post("/generated-tests", json=body("GeneratedTest", {"shuffle": True}, {
            "quiz": one("Quiz", quiz["id"])})), 201)["data"]
        test = ok(synap.get(f"/tests/{generated['relationships']['test']['data']['id']}"))["data"]
        picked = [by_id[q["id"]]["attributes"]["tags"] for q in test["relationships"]["questions"]["data"]]
        assert sorted(map(tuple, picked)) == [("algebra",), ("algebra",), ("geometry",)]
        drawn.append([q["id"] for q in test["relationships"]["questions"]["data"]])
    assert len({tuple(d) for d in drawn}) > 1  # random draws, seeded per test
    # asking for more geometry than the pool has is refused
    ok(synap.patch(f"/quizzes/{quiz['id']}", json=body("Quiz", {"filterRules": [
        {"tags": ["geometry"], "questionCount": 3}]}, id=quiz["id"])))
    errors(synap.post("/generated-tests", json=body("GeneratedTest", {}, {"quiz": one("Quiz", quiz["id"])})), 400)


def test_generate_test_job_completes_on_the_sandbox_clock_and_only_then_shows_its_test(synap, fresh):
    fresh.clock(now="2026-03-01T10:00:00Z", frozen=True)
    quiz, _ = bank(synap, [["a"], ["b"]])
    job = ok(synap.post("/generate-test-jobs", json=body("GenerateTestJob", {}, {"quiz": one("Quiz", quiz["id"])})), 201)
    job_id = job["data"]["id"]
    assert job["data"]["attributes"]["status"] == "pending" and job["data"]["relationships"]["test"]["data"] is None
    assert everything(synap, "/tests", **{"filter[quiz]": quiz["id"]}) == []
    fresh.advance_clock(10)
    running = ok(synap.get(f"/generate-test-jobs/{job_id}"))["data"]["attributes"]
    assert running["status"] == "processing" and 0 < running["progress"] < 100
    fresh.advance_clock(30)
    done = ok(synap.get(f"/generate-test-jobs/{job_id}"))["data"]
    assert done["attributes"]["status"] == "complete" and done["attributes"]["completedAt"] == "2026-03-01T10:00:30Z"
    test_id = done["relationships"]["test"]["data"]["id"]
    assert [t["id"] for t in everything(synap, "/tests", **{"filter[quiz]": quiz["id"]})] == [test_id]
    assert ok(synap.get(f"/tests/{test_id}"))["data"]["attributes"]["questionCount"] == 2


def test_users_see_and_delete_their_own_tests_and_only_admins_generate_for_others(synap):
    quiz, _ = bank(synap, [["a"]])
    learner = everything(synap, "/users", **{"filter[emailAddress]": "admin@demo-academy.synap.example"})[0]
    errors(synap.post("/generated-tests", json=body("GeneratedTest", {}, {
        "quiz": one("Quiz", quiz["id"]), "user": one("User", learner["id"])}), headers=STAFF), 403)
    mine = ok(synap.post("/generated-tests", json=body("GeneratedTest", {}, {"quiz": one("Quiz", quiz["id"])}),
                         headers=STAFF), 201)["data"]["relationships"]["test"]["data"]["id"]
    admins = ok(synap.post("/generated-tests", json=body("GeneratedTest", {}, {
        "quiz": one("Quiz", quiz["id"])})), 201)["data"]["relationships"]["test"]["data"]["id"]
    assert [t["id"] for t in ok(synap.get("/tests", params={"limit": 100, "offset": 0}, headers=STAFF))["data"]] == [mine]
    assert {t["id"] for t in everything(synap, "/tests")} >= {mine, admins}
    errors(synap.get(f"/tests/{admins}", headers=STAFF), 404)
    assert synap.delete(f"/tests/{mine}", headers=STAFF).status_code == 204
    errors(synap.get(f"/tests/{mine}"), 404)


def test_exports_complete_on_the_sandbox_clock_with_a_file_url(synap, fresh):
    fresh.clock(now="2026-03-01T10:00:00Z", frozen=True)
    quiz, _ = bank(synap, [["a"]])
    question = ok(synap.post("/question-exports", json=body("QuestionExport", {"format": "xlsx"}, {
        "quiz": one("Quiz", quiz["id"])})), 201)["data"]
    emq = ok(synap.post("/emq-group-exports", json=body("EmqGroupExport", {}, {"quiz": one("Quiz", quiz["id"])})), 201)["data"]
    pdf = ok(synap.post("/quiz-pdf-exports", json=body("QuizPdfExport", {"includeAnswers": True}, {
        "quiz": one("Quiz", quiz["id"])})), 201)["data"]
    for made in (question, emq, pdf):
        assert made["attributes"]["status"] == "pending" and made["attributes"]["fileUrl"] is None
    fresh.advance_clock(31)
    read = ok(synap.get(f"/quiz-pdf-exports/{pdf['id']}"))["data"]["attributes"]
    assert read["status"] == "complete" and read["fileUrl"].endswith(f"/quiz-{quiz['id']}.pdf")
    assert read["includeAnswers"] is True
    errs = errors(synap.post("/question-exports", json=body("QuestionExport", {})), 400)
    assert errs[0]["source"]["pointer"] == "/data/relationships/quiz"


def test_question_import_validation_reports_every_bad_field_and_the_import_adds_the_good_rows(synap, fresh):
    fresh.clock(now="2026-03-01T10:00:00Z", frozen=True)
    quiz = new_quiz(synap)
    section = new_section(synap, quiz["id"], "Imported")
    rows = [
        {"questionType": SINGLE, "body": "ok", "options": options()},
        {"questionType": SINGLE, "body": "two right", "options": options() + [{"id": "z", "text": "z", "isCorrect": True}]},
        {"questionType": "QuizQuestionShortAnswer", "body": "no answers", "colour": "red"},
    ]
    check = ok(synap.post("/question-import-validations", json=body("QuestionImportValidation", {"rows": rows}, {
        "quiz": one("Quiz", quiz["id"])})), 201)["data"]["attributes"]
    assert check["valid"] is False and check["rowCount"] == 3 and "rows" not in check
    assert [(e["row"], e["field"]) for e in check["errors"]] == [(1, "options"), (2, "colour"), (2, "acceptedAnswers")]
    assert quiz_of(synap, quiz["id"])["attributes"]["questionCount"] == 0  # a validation writes nothing
    errs = errors(synap.post("/question-imports", json=body("QuestionImport", {"rows": rows}, {
        "quiz": one("Quiz", quiz["id"])})), 400)
    assert [e["source"]["pointer"] for e in errs] == ["/data/attributes/rows/1/options", "/data/attributes/rows/2/colour",
                                                      "/data/attributes/rows/2/acceptedAnswers"]
    good = [rows[0], {"questionType": "QuizQuestionFreeText", "body": "Discuss", "marks": 10, "tags": ["essay"]}]
    imported = ok(synap.post("/question-imports", json=body("QuestionImport", {"rows": good}, {
        "quiz": one("Quiz", quiz["id"]), "section": one("QuizSection", section["id"])})), 201)["data"]
    assert imported["attributes"]["importedCount"] == 2 and imported["attributes"]["status"] == "pending"
    listed = ok(synap.get(f"/quiz-sections/{section['id']}"))["data"]
    assert listed["relationships"]["questions"]["data"] == imported["relationships"]["questions"]["data"]
    assert listed["attributes"]["totalMarks"] == 11


def test_emq_group_import_makes_groups_with_single_correct_stems(synap):
    quiz = new_quiz(synap)
    row = {"title": "Match the capital", "options": [{"id": "p", "text": "Paris"}, {"id": "r", "text": "Rome"}],
           "questions": [{"body": "France", "correctOptionId": "p"}, {"body": "Italy", "correctOptionId": "r", "marks": 2}]}
    bad = {"title": "Broken", "options": [{"id": "p", "text": "Paris"}], "questions": [{"body": "x", "correctOptionId": "q"}]}
    check = ok(synap.post("/emq-group-import-validations", json=body("EmqGroupImportValidation", {"rows": [row, bad]}, {
        "quiz": one("Quiz", quiz["id"])})), 201)["data"]["attributes"]
    assert [(e["row"], e["field"]) for e in check["errors"]] == [(1, "options"), (1, "questions/0/correctOptionId")]
    imported = ok(synap.post("/emq-group-imports", json=body("EmqGroupImport", {"rows": [row]}, {
        "quiz": one("Quiz", quiz["id"])})), 201)["data"]
    group_id = imported["relationships"]["emqGroups"]["data"][0]["id"]
    group = ok(synap.get(f"/quiz-emq-groups/{group_id}", params={"include": "questions"}))
    assert group["data"]["attributes"]["questionCount"] == 2
    stems = {q["attributes"]["body"]: q["attributes"] for q in group["included"]}
    assert [o["isCorrect"] for o in stems["Italy"]["options"]] == [False, True] and stems["Italy"]["marks"] == 2
    read = quiz_of(synap, quiz["id"])
    assert read["relationships"]["questions"]["data"] == [{"type": "QuizEmqGroup", "id": group_id}]
    assert read["attributes"]["totalMarks"] == 3


def test_quiz_setup_validation_names_what_stops_a_quiz(synap):
    def validate(quiz_id):
        return ok(synap.post("/quiz-setup-validations", json=body("QuizSetupValidation", {}, {
            "quiz": one("Quiz", quiz_id)})), 201)["data"]["attributes"]

    empty = new_quiz(synap, isSectioned=True)
    new_section(synap, empty["id"], "Nothing here")
    result = validate(empty["id"])
    assert result["valid"] is False and [e["code"] for e in result["errors"]] == ["noQuestions", "emptySection"]
    source, _ = bank(synap, [["a"], ["a"], ["b"]])
    dynamic = new_quiz(synap, "Drawn", {"contentSources": many("Quiz", source["id"])}, isDynamic=True, quizLength=3,
                       filterRules=[{"tags": ["a"], "questionCount": 1}, {"tags": ["b"], "questionCount": 3}])
    codes = [e["code"] for e in validate(dynamic["id"])["errors"]]
    assert codes == ["filterCountMismatch", "notEnoughQuestions"]
    ok(synap.patch(f"/quizzes/{dynamic['id']}", json=body("Quiz", {"filterRules": [
        {"tags": ["a"], "questionCount": 2}, {"tags": ["b"], "questionCount": 1}]}, id=dynamic["id"])))
    result = validate(dynamic["id"])
    assert result == {**result, "valid": True, "errors": [], "questionCount": 3}


def test_tag_breakdown_counts_questions_and_marks_per_tag(synap):
    quiz, made = bank(synap, [["algebra"], ["geometry", "algebra"], []])
    breakdown = ok(synap.get(f"/quiz-tag-breakdowns/{quiz['id']}", params={"include": "quiz"}))
    attributes = breakdown["data"]["attributes"]
    assert attributes["tags"] == [{"tag": "algebra", "questionCount": 2, "marks": 3},
                                  {"tag": "geometry", "questionCount": 1, "marks": 2}]
    assert attributes["untaggedCount"] == 1 and attributes["questionCount"] == 3 and attributes["totalMarks"] == 6
    assert breakdown["included"][0]["id"] == quiz["id"]
    errors(synap.get("/quiz-tag-breakdowns/nope"), 404)
