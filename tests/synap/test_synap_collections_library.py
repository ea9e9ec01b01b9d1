"""Synap Library: files, embeds, contents and what collection items need of them, notes, SCORM
imports on the sandbox clock, surveys with ordered pages and questions, and survey responses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import validators

from synap_helpers import body, errors, many, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}
ORACLE = Path(__file__).resolve().parents[2].parent / "shared" / "oracles" / "jsonapi-1.0-schema.json"


def upload(synap, name: str, mime: str) -> dict:
    return ok(synap.post("/files", json=body("File", {"name": name, "mimeType": mime, "size": 1024})), 201)["data"]


def content(synap, title: str, source: dict) -> dict:
    return ok(synap.post("/contents", json=body("Content", {"title": title}, source)), 201)["data"]


def attached(file: dict) -> dict:
    return {"attachment": one("File", file["id"])}


def a_collection(synap) -> str:
    return ok(synap.post("/collections", json=body("Collection", {"name": "Library users"})), 201)["data"]["id"]


# -- files, embeds, contents -----------------------------------------------------------------------


def test_a_file_gets_a_url_and_a_content_takes_its_kind_from_the_file(synap):
    file = upload(synap, "lecture 1.mp3", "audio/mpeg")
    assert file["attributes"]["url"].endswith(f"/files/{file['id']}/lecture%201.mp3")
    assert ok(synap.get(f"/files/{file['id']}"))["data"]["attributes"]["url"] == file["attributes"]["url"]
    made = content(synap, "Lecture 1", attached(file))
    assert (made["attributes"]["contentType"], made["attributes"]["attachmentMimeType"]) == ("audio", "audio/mpeg")
    assert made["attributes"]["isLibraryItem"] is True and made["relationships"]["owner"]["data"]["type"] == "User"
    for mime, kind in (("video/mp4", "video"), ("application/zip", "zip"), ("image/png", "image"),
                       ("application/pdf", "document")):
        assert content(synap, kind, attached(upload(synap, "f", mime)))["attributes"]["contentType"] == kind
    errs = errors(synap.post("/files", json=body("File", {"name": "x", "mimeType": "not a mime"})), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/mimeType"


def test_embeds_work_out_the_player_and_a_content_has_exactly_one_source(synap):
    youtube = ok(synap.post("/content-embed-datums", json=body("ContentEmbedDatum", {
        "url": "https://www.youtube.com/watch?v=URUJD5NEXC8", "width": 800})), 201)["data"]["attributes"]
    assert (youtube["provider"], youtube["embedUrl"]) == ("youtube", "https://www.youtube.com/embed/URUJD5NEXC8")
    assert 'width="800"' in youtube["html"]
    vimeo = ok(synap.post("/content-embed-datums", json=body("ContentEmbedDatum", {"url": "https://vimeo.com/76979871"})), 201)
    assert vimeo["data"]["attributes"]["embedUrl"] == "https://player.vimeo.com/video/76979871"
    other = ok(synap.post("/content-embed-datums", json=body("ContentEmbedDatum", {"url": "https://example.org/sim"})), 201)
    assert other["data"]["attributes"]["provider"] == "other"
    errs = errors(synap.post("/content-embed-datums", json=body("ContentEmbedDatum", {"url": "javascript:alert(1)"})), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/url"}
    embed = one("ContentEmbedDatum", vimeo["data"]["id"])
    made = content(synap, "Talk", {"embedData": embed})
    assert (made["attributes"]["contentType"], made["attributes"]["attachmentMimeType"]) == ("embed", None)
    included = ok(synap.get(f"/contents/{made['id']}", params={"include": "embedData"}))["included"]
    assert included[0]["attributes"]["provider"] == "vimeo"
    file = upload(synap, "a.pdf", "application/pdf")
    for source in ({}, {"embedData": embed, **attached(file)}):
        errs = errors(synap.post("/contents", json=body("Content", {"title": "?"}, source)), 400)
        assert errs[0]["source"] == {"pointer": "/data/relationships"}
    errors(synap.patch(f"/contents/{made['id']}", json=body("Content", relationships=attached(file), id=made["id"])), 400)
    errors(synap.post("/contents", headers=STAFF, json=body("Content", {"title": "Mine"}, attached(file))), 403)


def test_content_and_notes_shown_by_collection_items_stay_what_the_items_need(synap):
    collection = a_collection(synap)
    audio = content(synap, "Audio", attached(upload(synap, "a.mp3", "audio/mpeg")))
    note = ok(synap.post("/notes", json=body("Note", {"title": "Hello", "body": "<p>Hi</p>"})), 201)["data"]
    audio_item = ok(synap.post("/collection-item-audios", json=body("CollectionItemAudio", {"title": "Listen"}, {
        "collection": one("Collection", collection), "content": one("Content", audio["id"])})), 201)["data"]
    note_item = ok(synap.post("/collection-item-notes", json=body("CollectionItemNote", {"title": "Read"}, {
        "collection": one("Collection", collection), "note": one("Note", note["id"])})), 201)["data"]
    errs = errors(synap.delete(f"/contents/{audio['id']}"), 409)
    assert audio_item["id"] in errs[0]["detail"]
    video = attached(upload(synap, "v.mp4", "video/mp4"))
    errors(synap.patch(f"/contents/{audio['id']}", json=body("Content", relationships=video, id=audio["id"])), 409)
    renamed = ok(synap.patch(f"/contents/{audio['id']}", json=body("Content", {"title": "Renamed"}, attached(
        upload(synap, "b.mp3", "audio/mpeg")), id=audio["id"])))["data"]
    assert renamed["attributes"]["title"] == "Renamed" and renamed["attributes"]["contentType"] == "audio"
    errors(synap.delete(f"/notes/{note['id']}"), 409)
    ok(synap.patch(f"/notes/{note['id']}", json=body("Note", {"body": "<p>Updated</p>"}, id=note["id"])))
    assert synap.delete(f"/collection-item-notes/{note_item['id']}").status_code == 204
    assert synap.delete(f"/notes/{note['id']}").status_code == 204
    errors(synap.get(f"/notes/{note['id']}"), 404)
    assert synap.delete(f"/collection-item-audios/{audio_item['id']}").status_code == 204
    assert synap.delete(f"/contents/{audio['id']}").status_code == 204


def test_a_scorm_course_imports_its_zip_package_on_the_sandbox_clock(synap, fresh):
    fresh.clock(now="2026-04-01T10:00:00Z", frozen=True)
    package = upload(synap, "course.zip", "application/zip")
    errs = errors(synap.post("/scorm-courses", json=body("ScormCourse", {"title": "Fire safety"}, {
        "package": one("File", upload(synap, "course.pdf", "application/pdf")["id"])})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/package/data"}
    errors(synap.post("/scorm-courses", json=body("ScormCourse", {"title": "Fire safety"})), 400)
    course = ok(synap.post("/scorm-courses", json=body("ScormCourse", {"title": "Fire safety", "version": "scorm12"}, {
        "package": one("File", package["id"])})), 201)["data"]
    assert (course["attributes"]["importStatus"], course["attributes"]["launchUrl"]) == ("pending", None)
    url = f"/scorm-courses/{course['id']}"
    fresh.advance_clock(10)
    assert ok(synap.get(url))["data"]["attributes"]["importStatus"] == "processing"
    fresh.advance_clock(30)
    done = ok(synap.get(url))["data"]["attributes"]
    assert done["importStatus"] == "complete" and done["importedAt"] == "2026-04-01T10:00:30Z"
    assert done["launchUrl"].endswith(f"/scorm/{course['id']}/index.html")
    ok(synap.patch(url, json=body("ScormCourse", {"title": "Fire safety 2"}, id=course["id"])))
    assert ok(synap.get(url))["data"]["attributes"]["importStatus"] == "complete"  # same package: no re-import
    again = ok(synap.patch(url, json=body("ScormCourse", relationships={
        "package": one("File", upload(synap, "v2.zip", "application/zip")["id"])}, id=course["id"])))["data"]
    assert again["attributes"]["importStatus"] == "pending"
    assert synap.delete(url).status_code == 204


# -- surveys ---------------------------------------------------------------------------------------


def survey_with_pages(synap, *page_titles: str, **attributes) -> tuple[dict, list[dict]]:
    survey = ok(synap.post("/surveys", json=body("Survey", {"title": "Feedback", **attributes})), 201)["data"]
    pages = [ok(synap.post("/survey-pages", json=body("SurveyPage", {"title": t}, {
        "survey": one("Survey", survey["id"])})), 201)["data"] for t in page_titles]
    return survey, pages


def question(synap, page_id: str, prompt: str, kind: str = "text", **attributes) -> dict:
    return ok(synap.post("/survey-items", json=body("SurveyItem", {"prompt": prompt, "questionType": kind, **attributes}, {
        "page": one("SurveyPage", page_id)})), 201)["data"]


def linked(synap, path: str, name: str) -> list[str]:
    return [i["id"] for i in ok(synap.get(path))["data"]["relationships"][name]["data"]]


def test_update_survey_pages_reorders_the_pages(synap):
    survey, pages = survey_with_pages(synap, "One", "Two", "Three")
    assert linked(synap, f"/surveys/{survey['id']}", "pages") == [p["id"] for p in pages]
    url = f"/surveys/{survey['id']}/relationships/pages"
    ok(synap.patch(url, json=many("SurveyPage", pages[2]["id"], pages[0]["id"], pages[1]["id"])))
    assert linked(synap, f"/surveys/{survey['id']}", "pages") == [pages[2]["id"], pages[0]["id"], pages[1]["id"]]
    assert ok(synap.get(f"/survey-pages/{pages[2]['id']}"))["data"]["attributes"]["position"] == 0
    _, foreign = survey_with_pages(synap, "Elsewhere")
    errs = errors(synap.patch(url, json=many("SurveyPage", pages[0]["id"], foreign[0]["id"], pages[1]["id"], pages[2]["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/1"}
    errors(synap.patch(url, json=many("SurveyPage", pages[0]["id"])), 400)
    ok(synap.patch(f"/surveys/{survey['id']}", json=body("Survey", {"title": "Renamed"}, {
        "pages": many("SurveyPage", pages[0]["id"], pages[1]["id"], pages[2]["id"])}, id=survey["id"])))
    assert linked(synap, f"/surveys/{survey['id']}", "pages") == [p["id"] for p in pages]
    assert ok(synap.get(f"/surveys/{survey['id']}"))["data"]["attributes"]["pageCount"] == 3


def test_update_survey_page_items_reorders_and_moves_questions_between_pages(synap):
    survey, (first, second) = survey_with_pages(synap, "First", "Second")
    a, b = question(synap, first["id"], "A?"), question(synap, first["id"], "B?")
    c = question(synap, second["id"], "C?")
    assert a["relationships"]["survey"]["data"] == {"type": "Survey", "id": survey["id"]}
    url = f"/survey-pages/{first['id']}/relationships/items"
    set_to = ok(synap.patch(url, json=many("SurveyItem", c["id"], b["id"], a["id"])))["data"]
    assert [i["id"] for i in set_to] == [c["id"], b["id"], a["id"]]
    assert linked(synap, f"/survey-pages/{second['id']}", "items") == []  # c left its page
    moved = ok(synap.get(f"/survey-items/{c['id']}"))["data"]
    assert moved["relationships"]["page"]["data"]["id"] == first["id"] and moved["attributes"]["position"] == 0
    errs = errors(synap.patch(url, json=many("SurveyItem", c["id"], a["id"])), 400)
    assert b["id"] in errs[0]["detail"]  # a question of the page left out
    _, (foreign,) = survey_with_pages(synap, "Other survey")
    stranger = question(synap, foreign["id"], "Z?")
    errs = errors(synap.patch(url, json=many("SurveyItem", c["id"], b["id"], a["id"], stranger["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/3"}
    back = ok(synap.patch(f"/survey-items/{b['id']}", json=body("SurveyItem", relationships={
        "page": one("SurveyPage", second["id"])}, id=b["id"])))["data"]
    assert back["attributes"]["position"] == 0 and linked(synap, f"/survey-pages/{first['id']}", "items") == [c["id"], a["id"]]
    errors(synap.patch(f"/survey-items/{b['id']}", json=body("SurveyItem", relationships={
        "page": one("SurveyPage", foreign["id"])}, id=b["id"])), 400)


def test_choice_and_rating_questions_are_checked(synap):
    _, (page,) = survey_with_pages(synap, "Only")
    errs = errors(synap.post("/survey-items", json=body("SurveyItem", {"prompt": "Pick", "questionType": "singleChoice",
                                                                       "options": ["Yes", "Yes"]}, {"page": one("SurveyPage", page["id"])})), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/options"}
    rating = question(synap, page["id"], "Rate", "rating")
    assert rating["attributes"]["ratingScale"] == 5
    info = question(synap, page["id"], "Thanks", "informational", isRequired=True)
    assert info["attributes"]["isRequired"] is False
    errors(synap.patch(f"/survey-items/{rating['id']}", json=body("SurveyItem", {"questionType": "multipleChoice"},
                                                                  id=rating["id"])), 400)


def test_a_survey_response_is_checked_answer_by_answer(synap):
    survey, (page,) = survey_with_pages(synap, "Only")
    pick = question(synap, page["id"], "Pick one", "singleChoice", options=["Red", "Blue"], isRequired=True)
    many_q = question(synap, page["id"], "Pick some", "multipleChoice", options=["A", "B", "C"])
    rate = question(synap, page["id"], "Rate", "rating", ratingScale=3, isRequired=True)
    info = question(synap, page["id"], "Thanks", "informational")
    _, (other_page,) = survey_with_pages(synap, "Other")
    other = question(synap, other_page["id"], "Elsewhere")
    bad = [{"surveyItem": pick["id"], "value": "Green"}, {"surveyItem": many_q["id"], "value": ["A", "A"]},
           {"surveyItem": other["id"], "value": "x"}, {"surveyItem": info["id"], "value": "ok"}]
    errs = errors(synap.post("/survey-responses", json=body("SurveyResponse", {"answers": bad}, {
        "survey": one("Survey", survey["id"])})), 400)
    assert [e["source"]["pointer"] for e in errs] == [
        "/data/attributes/answers/0/value", "/data/attributes/answers/1/value", "/data/attributes/answers/2/surveyItem",
        "/data/attributes/answers/3/value", "/data/attributes/answers"]
    assert rate["id"] in errs[-1]["detail"]  # required and unanswered
    good = [{"surveyItem": pick["id"], "value": "Blue"}, {"surveyItem": many_q["id"], "value": ["C", "A"]},
            {"surveyItem": rate["id"], "value": 3}]
    made = ok(synap.post("/survey-responses", headers=STAFF, json=body("SurveyResponse", {"answers": good}, {
        "survey": one("Survey", survey["id"])})), 201)["data"]
    assert made["relationships"]["user"]["data"]["type"] == "User" and made["attributes"]["submittedAt"]
    assert ok(synap.get(f"/surveys/{survey['id']}"))["data"]["attributes"]["responseCount"] == 1
    errors(synap.post("/survey-responses", json=body("SurveyResponse", {"answers": [
        {"surveyItem": pick["id"], "value": "Red"}, {"surveyItem": rate["id"], "value": 4}]}, {
        "survey": one("Survey", survey["id"])})), 400)


def test_anonymous_surveys_do_not_name_the_respondent_and_a_survey_delete_takes_everything(synap):
    survey, (page,) = survey_with_pages(synap, "Only", isAnonymous=True)
    asked = question(synap, page["id"], "How are you?")
    made = ok(synap.post("/survey-responses", json=body("SurveyResponse", {"answers": [
        {"surveyItem": asked["id"], "value": "Fine"}]}, {"survey": one("Survey", survey["id"])})), 201)["data"]
    assert made["relationships"]["user"]["data"] is None
    assert ok(synap.get(f"/surveys/{survey['id']}"))["data"]["attributes"]["questionCount"] == 1
    errors(synap.delete(f"/surveys/{survey['id']}", headers=STAFF), 403)
    assert synap.delete(f"/surveys/{survey['id']}").status_code == 204
    errors(synap.get(f"/survey-pages/{page['id']}"), 404)
    errors(synap.get(f"/survey-items/{asked['id']}"), 404)


def test_deleting_a_survey_page_takes_its_questions_out_of_the_survey(synap):
    survey, (first, second) = survey_with_pages(synap, "First", "Second")
    gone = question(synap, first["id"], "Gone?")
    assert synap.delete(f"/survey-pages/{first['id']}").status_code == 204
    errors(synap.get(f"/survey-items/{gone['id']}"), 404)
    assert linked(synap, f"/surveys/{survey['id']}", "pages") == [second["id"]]
    assert ok(synap.get(f"/surveys/{survey['id']}"))["data"]["attributes"]["questionCount"] == 0


@pytest.mark.skipif(not ORACLE.exists(), reason=f"JSON:API oracle not found at {ORACLE}")
def test_collection_and_library_documents_are_valid_json_api(synap):
    from support import empty_patterns_to_caret as _empty_patterns_to_caret

    schema = _empty_patterns_to_caret(json.loads(ORACLE.read_text()))
    validator = validators.validator_for(schema)(schema)
    collection = ok(synap.get("/collections", params={"limit": 1, "offset": 0}))["data"][0]
    documents = [
        synap.get(f"/collections/{collection['id']}", params={"include": "folders.items.items,items,accesses"}).json(),
        synap.get("/collection-items", params={"limit": 20, "offset": 0, "include": "content.attachment,note"}).json(),
        synap.get(f"/collection-tag-breakdowns/{collection['id']}").json(),
        synap.get("/collection-mocks", params={"limit": 5, "offset": 0}).json(),
        synap.patch(f"/collections/{collection['id']}/relationships/folders", json=many("CollectionFolder", "nope")).json(),
    ]
    for document in documents:
        assert [e.message for e in validator.iter_errors(document)] == [], document
