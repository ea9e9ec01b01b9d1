"""Synap collections: ordered folders, sub-folders and items of every kind, the reorder endpoints,
the "(Use Generic)" lists, access for user groups, mocks, progress, the tag breakdown, annotations
and highlights, and what a delete takes with it."""

from __future__ import annotations

from synap_helpers import body, errors, everything, group_named, many, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}  # Sam Marker: Staff and Markers groups


def as_staff(synap, path: str, **params) -> list[dict]:
    return ok(synap.get(path, headers=STAFF, params={"limit": 1000, "offset": 0, **params}))["data"]


def ids(linkage: list[dict]) -> list[str]:
    return [i["id"] for i in linkage]


MIME = {"audio": "audio/mpeg", "video": "video/mp4", "document": "application/pdf", "zip": "application/zip",
        "image": "image/png"}


def content_of(synap, kind: str) -> str:
    """A new library Content of ``kind`` (a File attachment, or an embed)."""
    if kind == "embed":
        embed = ok(synap.post("/content-embed-datums", json=body("ContentEmbedDatum", {"url": "https://vimeo.com/123456"})), 201)
        source = {"embedData": one("ContentEmbedDatum", embed["data"]["id"])}
    else:
        upload = ok(synap.post("/files", json=body("File", {"name": f"a.{kind}", "mimeType": MIME[kind]})), 201)
        source = {"attachment": one("File", upload["data"]["id"])}
    made = ok(synap.post("/contents", json=body("Content", {"title": f"Some {kind}"}, source)), 201)["data"]
    assert made["attributes"]["contentType"] == kind
    return made["id"]


def a_note(synap) -> str:
    return ok(synap.post("/notes", json=body("Note", {"title": "Read me first"})), 201)["data"]["id"]


def new_collection(synap, name="Revision Pack", **attributes) -> dict:
    return ok(synap.post("/collections", json=body("Collection", {"name": name, **attributes})), 201)["data"]


def new_folder(synap, collection_id: str, name: str) -> dict:
    return ok(synap.post("/collection-folders", json=body("CollectionFolder", {"name": name},
                                                          {"collection": one("Collection", collection_id)})), 201)["data"]


def new_sub_folder(synap, folder_id: str, name: str) -> dict:
    return ok(synap.post("/collection-sub-folders", json=body("CollectionSubFolder", {"name": name},
                                                              {"folder": one("CollectionFolder", folder_id)})), 201)["data"]


def new_item(synap, kind: str, title: str, place: dict, link: dict | None = None, headers=None, **attributes) -> dict:
    plural = {"quiz": "quizzes"}.get(kind, kind + "s")
    response = synap.post(f"/collection-item-{plural}", headers=headers, json=body(
        f"CollectionItem{kind.capitalize()}", {"title": title, **attributes}, {**place, **(link or {})}))
    return ok(response, 201)["data"]


def in_collection(collection_id: str) -> dict:
    return {"collection": one("Collection", collection_id)}


def in_folder(type_name: str, folder_id: str) -> dict:
    return {"folder": one(type_name, folder_id)}


def audio(synap) -> dict:
    return {"content": one("Content", content_of(synap, "audio"))}


def linkage(synap, path: str, name: str = "items") -> list[str]:
    return ids(ok(synap.get(path))["data"]["relationships"][name]["data"])


# -- structure and order ---------------------------------------------------------------------------


def test_folders_sub_folders_and_items_join_their_containers_in_order(synap):
    collection = new_collection(synap)
    assert collection["relationships"]["folders"]["data"] == [] and collection["relationships"]["owner"]["data"]
    first, second = new_folder(synap, collection["id"], "Week 1"), new_folder(synap, collection["id"], "Week 2")
    sub = new_sub_folder(synap, first["id"], "Key terms")
    assert sub["relationships"]["collection"]["data"] == {"type": "Collection", "id": collection["id"]}
    top = new_item(synap, "audio", "Welcome", in_collection(collection["id"]), audio(synap))
    in_first = new_item(synap, "note", "Read first", in_folder("CollectionFolder", first["id"]),
                        {"note": one("Note", a_note(synap))})
    in_sub = new_item(synap, "quiz", "Quick quiz", in_folder("CollectionSubFolder", sub["id"]), passScore=70)
    assert in_sub["relationships"]["collection"]["data"]["id"] == collection["id"]  # the sub-folder's
    assert linkage(synap, f"/collections/{collection['id']}", "folders") == [first["id"], second["id"]]
    assert linkage(synap, f"/collections/{collection['id']}") == [top["id"]]
    folder_items = ok(synap.get(f"/collection-folders/{first['id']}"))["data"]["relationships"]["items"]["data"]
    assert folder_items == [{"type": "CollectionSubFolder", "id": sub["id"]}, {"type": "CollectionItem", "id": in_first["id"]}]
    assert linkage(synap, f"/collection-sub-folders/{sub['id']}") == [in_sub["id"]]
    assert [second["attributes"]["position"], in_first["attributes"]["position"]] == [1, 1]
    tree = ok(synap.get(f"/collections/{collection['id']}", params={"include": "folders.items.items,items"}))
    assert {(r["type"], r["id"]) for r in tree["included"]} == {
        ("CollectionFolder", first["id"]), ("CollectionFolder", second["id"]), ("CollectionSubFolder", sub["id"]),
        ("CollectionItem", top["id"]), ("CollectionItem", in_first["id"]), ("CollectionItem", in_sub["id"])}


def test_reorder_collection_folders_shows_in_reads_and_lists(synap):
    collection = new_collection(synap)
    folders = [new_folder(synap, collection["id"], name)["id"] for name in ("A", "B", "C")]
    url = f"/collections/{collection['id']}/relationships/folders"
    reordered = ok(synap.patch(url, json=many("CollectionFolder", folders[2], folders[0], folders[1])))["data"]
    assert ids(reordered) == [folders[2], folders[0], folders[1]]
    assert linkage(synap, f"/collections/{collection['id']}", "folders") == [folders[2], folders[0], folders[1]]
    listed = everything(synap, "/collection-folders", **{"filter[collection]": collection["id"]})
    assert [(f["id"], f["attributes"]["position"]) for f in listed] == [(folders[2], 0), (folders[0], 1), (folders[1], 2)]
    by_name = everything(synap, "/collection-folders", **{"filter[collection]": collection["id"], "sort": "-position"})
    assert [f["id"] for f in by_name] == [folders[1], folders[0], folders[2]]


def test_a_reorder_names_exactly_the_current_members(synap):
    collection = new_collection(synap)
    a, b = (new_folder(synap, collection["id"], name)["id"] for name in ("A", "B"))
    elsewhere = new_folder(synap, new_collection(synap, "Other")["id"], "X")["id"]
    url = f"/collections/{collection['id']}/relationships/folders"
    errs = errors(synap.patch(url, json=many("CollectionFolder", b, elsewhere, a)), 400)
    assert errs[0]["source"] == {"pointer": "/data/1"} and elsewhere in errs[0]["detail"]
    errs = errors(synap.patch(url, json=many("CollectionFolder", b)), 400)
    assert errs[0]["source"] == {"pointer": "/data"} and a in errs[0]["detail"]
    errors(synap.patch(url, json=many("CollectionFolder", b, "nope")), 404)
    assert linkage(synap, f"/collections/{collection['id']}", "folders") == [a, b]  # unchanged


def test_reorder_folder_sub_folder_and_collection_items(synap):
    collection = new_collection(synap)
    folder = new_folder(synap, collection["id"], "Topics")
    sub = new_sub_folder(synap, folder["id"], "Part 1")
    place = in_folder("CollectionFolder", folder["id"])
    x, y = (new_item(synap, "audio", t, place, audio(synap))["id"] for t in ("X", "Y"))
    # the verified route (update-collectionsubfolder's sample); identifiers may name the item's kind
    moved = ok(synap.patch(f"/collection-folders/{folder['id']}/relationships/items", json={"data": [
        {"type": "CollectionItemAudio", "id": y}, {"type": "CollectionSubFolder", "id": sub["id"]},
        {"type": "CollectionItem", "id": x}]}))["data"]
    assert moved == [{"type": "CollectionItem", "id": y}, {"type": "CollectionSubFolder", "id": sub["id"]},
                     {"type": "CollectionItem", "id": x}]
    assert ok(synap.get(f"/collection-item-audios/{x}"))["data"]["attributes"]["position"] == 2
    errs = errors(synap.patch(f"/collection-folders/{folder['id']}/relationships/items", json={"data": [
        {"type": "CollectionItem", "id": x}, {"type": "CollectionItemAudio", "id": x},
        {"type": "CollectionItem", "id": y}, {"type": "CollectionSubFolder", "id": sub["id"]}]}), 400)
    assert errs[0]["source"] == {"pointer": "/data/1"} and "twice" in errs[0]["detail"]
    sub_items = [new_item(synap, "audio", t, in_folder("CollectionSubFolder", sub["id"]), audio(synap))["id"]
                 for t in ("1", "2", "3")]
    ok(synap.patch(f"/collection-sub-folders/{sub['id']}/relationships/items",
                   json=many("CollectionItem", *reversed(sub_items))))
    assert linkage(synap, f"/collection-sub-folders/{sub['id']}") == list(reversed(sub_items))
    listed = everything(synap, "/collection-items", **{"filter[folder]": sub["id"]})
    assert [i["id"] for i in listed] == list(reversed(sub_items))
    tops = [new_item(synap, "audio", t, in_collection(collection["id"]), audio(synap))["id"] for t in ("p", "q")]
    ok(synap.patch(f"/collections/{collection['id']}/relationships/items", json=many("CollectionItem", tops[1], tops[0])))
    assert linkage(synap, f"/collections/{collection['id']}") == [tops[1], tops[0]]
    errs = errors(synap.patch(f"/collections/{collection['id']}/relationships/items",
                              json=many("CollectionItem", tops[1], tops[0], x)), 400)
    assert errs[0]["source"] == {"pointer": "/data/2"}  # x is in the folder, not at the top level


def test_update_collection_folder_with_the_samples_body_reorders_and_keeps_its_collection(synap):
    collection = new_collection(synap)
    folder = new_folder(synap, collection["id"], "Week 1")
    a, b = (new_sub_folder(synap, folder["id"], n)["id"] for n in ("a", "b"))
    sample = body("CollectionFolder", {"name": "Week one"}, {
        "collection": one("Collection", collection["id"]), "coverImage": {"data": None},
        "items": many("CollectionSubFolder", b, a)}, id=folder["id"])
    updated = ok(synap.patch(f"/collection-folders/{folder['id']}", json=sample))["data"]
    assert updated["attributes"]["name"] == "Week one" and ids(updated["relationships"]["items"]["data"]) == [b, a]
    other = new_collection(synap, "Other")
    errs = errors(synap.patch(f"/collection-folders/{folder['id']}", json=body(
        "CollectionFolder", relationships={"collection": one("Collection", other["id"])}, id=folder["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/collection"}
    errs = errors(synap.patch(f"/collection-folders/{folder['id']}", json=body(
        "CollectionFolder", relationships={"items": many("CollectionSubFolder", a)}, id=folder["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/items/data"}
    errs = errors(synap.patch(f"/collections/{collection['id']}", json=body(
        "Collection", relationships={"accesses": many("CollectionAccess")}, id=collection["id"])), 400)
    assert ok(synap.get(f"/collection-folders/{folder['id']}"))["data"]["attributes"]["name"] == "Week one"


# -- item kinds and the generic lists --------------------------------------------------------------


def test_typed_items_share_one_table_and_the_generic_lists_filter_by_kind(synap):
    collection = new_collection(synap)
    place = in_collection(collection["id"])
    made = {
        "audio": new_item(synap, "audio", "Listen", place, audio(synap), durationSeconds=300),
        "video": new_item(synap, "video", "Watch", place, {"content": one("Content", content_of(synap, "video"))}),
        "embed": new_item(synap, "embed", "Explore", place, {"content": one("Content", content_of(synap, "embed"))}),
        "document": new_item(synap, "document", "Read", place, {"content": one("Content", content_of(synap, "document"))}),
        "zip": new_item(synap, "zip", "Download", place, {"content": one("Content", content_of(synap, "zip"))}),
        "note": new_item(synap, "note", "Note", place, {"note": one("Note", a_note(synap))}),
        "quiz": new_item(synap, "quiz", "Try it", place),
    }
    for kind, item in made.items():
        assert item["type"] == f"CollectionItem{kind.capitalize()}" and item["attributes"]["itemType"] == kind
    assert made["audio"]["attributes"]["durationSeconds"] == 300
    assert made["document"]["attributes"]["allowDownload"] is True
    generic = everything(synap, "/collection-items", **{"filter[collection]": collection["id"]})
    assert [(i["type"], i["id"]) for i in generic] == [("CollectionItem", made[k]["id"]) for k in made]
    assert generic[0]["attributes"]["durationSeconds"] == 300 and generic[1]["attributes"]["allowDownload"] is None
    for kind, path in (("audio", "audios"), ("embed", "embeds"), ("note", "notes"), ("quiz", "quizzes"),
                       ("video", "videos"), ("zip", "zips")):
        listed = everything(synap, f"/collection-item-{path}")
        assert listed and {i["type"] for i in listed} == {"CollectionItem"}
        assert {i["attributes"]["itemType"] for i in listed} == {kind}
        assert made[kind]["id"] in {i["id"] for i in listed}
        assert len(listed) == len(everything(synap, "/collection-items", **{"filter[itemType]": kind}))
    errors(synap.get(f"/collection-item-videos/{made['audio']['id']}"), 404)  # an audio item is no video
    errors(synap.delete(f"/collection-item-notes/{made['audio']['id']}"), 404)
    assert synap.delete(f"/collection-item-audios/{made['audio']['id']}").status_code == 204
    assert made["audio"]["id"] not in linkage(synap, f"/collections/{collection['id']}")


def test_items_need_content_of_their_kind(synap):
    collection = new_collection(synap)
    place = in_collection(collection["id"])
    errs = errors(synap.post("/collection-item-audios", json=body("CollectionItemAudio", {"title": "Listen"}, {
        **place, "content": one("Content", content_of(synap, "video"))})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/content/data"} and "video" in errs[0]["detail"]
    errs = errors(synap.post("/collection-item-notes", json=body("CollectionItemNote", {"title": "Note"}, place)), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/note"}
    errs = errors(synap.post("/collection-item-documents", json=body("CollectionItemDocument", {"title": "Doc"}, {
        "content": one("Content", content_of(synap, "document"))})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/collection"}
    item = new_item(synap, "audio", "Listen", place, audio(synap))
    errors(synap.patch(f"/collection-item-audios/{item['id']}", json=body("CollectionItemAudio", relationships={
        "content": one("Content", content_of(synap, "zip"))}, id=item["id"])), 400)
    image = content_of(synap, "image")  # a document item shows documents or images
    new_item(synap, "document", "Poster", place, {"content": one("Content", image)})


def test_an_item_moves_to_the_end_of_another_container_of_its_collection(synap):
    collection = new_collection(synap)
    folder = new_folder(synap, collection["id"], "Week 1")
    sub = new_sub_folder(synap, folder["id"], "Extra")
    already = new_item(synap, "audio", "Already here", in_folder("CollectionSubFolder", sub["id"]), audio(synap))
    item = new_item(synap, "audio", "Wanderer", in_collection(collection["id"]), audio(synap))
    moved = ok(synap.patch(f"/collection-item-audios/{item['id']}", json=body(
        "CollectionItemAudio", {"title": "Moved"}, in_folder("CollectionSubFolder", sub["id"]), id=item["id"])))["data"]
    assert moved["attributes"]["position"] == 1 and moved["attributes"]["title"] == "Moved"
    assert linkage(synap, f"/collection-sub-folders/{sub['id']}") == [already["id"], item["id"]]
    assert linkage(synap, f"/collections/{collection['id']}") == []
    back = ok(synap.patch(f"/collection-item-audios/{item['id']}", json=body(
        "CollectionItemAudio", relationships={"folder": {"data": None}}, id=item["id"])))["data"]
    assert back["relationships"]["folder"]["data"] is None
    assert linkage(synap, f"/collections/{collection['id']}") == [item["id"]]
    foreign = new_folder(synap, new_collection(synap, "Other")["id"], "Theirs")
    errs = errors(synap.patch(f"/collection-item-audios/{item['id']}", json=body(
        "CollectionItemAudio", relationships=in_folder("CollectionFolder", foreign["id"]), id=item["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/folder"}
    assert linkage(synap, f"/collections/{collection['id']}") == [item["id"]]


# -- who sees and edits ----------------------------------------------------------------------------


def test_collection_access_for_a_user_group_shares_and_unshares_a_collection(synap):
    collection = new_collection(synap, "Markers only")
    markers = group_named(synap, "Markers")
    assert collection["id"] not in {c["id"] for c in as_staff(synap, "/collections")}
    errors(synap.get(f"/collections/{collection['id']}", headers=STAFF), 404)
    grant = ok(synap.post("/collection-accesses", json=body("CollectionAccess", {
        "level": "viewer", "upgradeInstructionsType": "product", "upgradeInstructionsData": ["Ask your teacher"]},
        {"userGroup": one("UserGroup", markers["id"]), "collection": one("Collection", collection["id"])})), 201)["data"]
    assert grant["attributes"]["upgradeInstructionsData"] == ["Ask your teacher"]
    seen = ok(synap.get(f"/collections/{collection['id']}", headers=STAFF))["data"]
    assert seen["relationships"]["accesses"]["data"] == [{"type": "CollectionAccess", "id": grant["id"]}]
    folder = new_folder(synap, collection["id"], "Read only")
    ok(synap.get(f"/collection-folders/{folder['id']}", headers=STAFF))
    errors(synap.post("/collection-folders", headers=STAFF, json=body("CollectionFolder", {"name": "Mine"}, {
        "collection": one("Collection", collection["id"])})), 403)
    errors(synap.patch(f"/collections/{collection['id']}/relationships/folders", headers=STAFF,
                       json=many("CollectionFolder", folder["id"])), 403)
    errors(synap.post("/collection-accesses", json=body("CollectionAccess", {}, {
        "userGroup": one("UserGroup", markers["id"]), "collection": one("Collection", collection["id"])})), 409)
    errors(synap.post("/collection-accesses", headers=STAFF, json=body("CollectionAccess", {}, {
        "userGroup": one("UserGroup", group_named(synap, "Staff")["id"]), "collection": one("Collection", collection["id"])})), 403)
    assert synap.delete(f"/collection-accesses/{grant['id']}").status_code == 204
    errors(synap.get(f"/collections/{collection['id']}", headers=STAFF), 404)
    errors(synap.get(f"/collection-folders/{folder['id']}", headers=STAFF), 404)
    assert folder["id"] not in {f["id"] for f in as_staff(synap, "/collection-folders")}


def test_editor_access_lets_group_members_change_content_and_order(synap):
    collection = new_collection(synap, "Shared authoring")
    ok(synap.post("/collection-accesses", json=body("CollectionAccess", {"level": "editor"}, {
        "userGroup": one("UserGroup", group_named(synap, "Markers")["id"]),
        "collection": one("Collection", collection["id"])})), 201)
    first = new_folder(synap, collection["id"], "Admin's")
    mine = ok(synap.post("/collection-folders", headers=STAFF, json=body("CollectionFolder", {"name": "Sam's"}, {
        "collection": one("Collection", collection["id"])})), 201)["data"]
    ok(synap.patch(f"/collections/{collection['id']}/relationships/folders", headers=STAFF,
                   json=many("CollectionFolder", mine["id"], first["id"])))
    assert linkage(synap, f"/collections/{collection['id']}", "folders") == [mine["id"], first["id"]]
    new_item(synap, "audio", "Sam's audio", in_folder("CollectionFolder", mine["id"]), audio(synap), headers=STAFF)
    errors(synap.delete(f"/collections/{collection['id']}", headers=STAFF), 403)  # admins only


def test_an_archived_collection_takes_no_new_content(synap):
    collection = new_collection(synap, "Old", isArchived=True)
    errs = errors(synap.post("/collection-folders", json=body("CollectionFolder", {"name": "More"}, {
        "collection": one("Collection", collection["id"])})), 403)
    assert "archived" in errs[0]["detail"]
    ok(synap.patch(f"/collections/{collection['id']}", json=body("Collection", {"isArchived": False}, id=collection["id"])))
    new_folder(synap, collection["id"], "More")


# -- mocks, progress, tag breakdown ----------------------------------------------------------------


def test_collection_mocks_follow_the_collections_mocks_attribute(synap):
    collection = new_collection(synap, mocks=[{"title": "Mock A", "quizLength": 20, "passScore": 60},
                                              {"title": "Mock B", "quizLength": 40, "timeInMs": 3_600_000}])
    mocks = collection["attributes"]["mocks"]
    assert all(m["id"] for m in mocks) and len({m["id"] for m in mocks}) == 2
    listed = everything(synap, "/collection-mocks", **{"filter[collection]": collection["id"]})
    assert [(m["id"], m["attributes"]["title"], m["attributes"]["quizLength"]) for m in listed] == [
        (mocks[0]["id"], "Mock A", 20), (mocks[1]["id"], "Mock B", 40)]
    changed = [{**mocks[1], "title": "Final mock"}, {"title": "Mock C", "quizLength": 10}]
    updated = ok(synap.patch(f"/collections/{collection['id']}", json=body("Collection", {"mocks": changed},
                                                                            id=collection["id"])))["data"]
    listed = everything(synap, "/collection-mocks", **{"filter[collection]": collection["id"]})
    assert [m["attributes"]["title"] for m in listed] == ["Final mock", "Mock C"]
    assert listed[0]["id"] == mocks[1]["id"] and updated["attributes"]["mocks"][1]["id"] == listed[1]["id"]
    assert listed[0]["attributes"]["timeInMs"] == 3_600_000
    assert synap.delete(f"/collections/{collection['id']}").status_code == 204
    assert everything(synap, "/collection-mocks", **{"filter[collection]": collection["id"]}) == []


def test_collection_progress_counts_completed_items_of_the_collection(synap, fresh):
    fresh.clock(now="2026-03-01T09:00:00Z", frozen=True)
    collection = new_collection(synap)
    place = in_collection(collection["id"])
    items = [new_item(synap, "audio", t, place, audio(synap))["id"] for t in ("a", "b", "c", "d")]
    stranger = everything(synap, "/collection-items")[0]["id"]
    url = "/collection-progresses"
    errs = errors(synap.post(url, json=body("CollectionProgress", {}, {
        "collection": one("Collection", collection["id"]), "completedItems": many("CollectionItem", items[0], stranger)})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/completedItems/data/1"}
    progress = ok(synap.post(url, json=body("CollectionProgress", {}, {
        "collection": one("Collection", collection["id"]),
        "completedItems": many("CollectionItemAudio", items[0])})), 201)["data"]
    expected = {"completedItemCount": 1, "totalItemCount": 4, "percentComplete": 25, "status": "inProgress",
                "completedAt": None}
    assert {k: progress["attributes"][k] for k in expected} == expected
    assert progress["relationships"]["completedItems"]["data"] == [{"type": "CollectionItem", "id": items[0]}]
    errors(synap.post(url, json=body("CollectionProgress", {}, {"collection": one("Collection", collection["id"])})), 409)
    done = ok(synap.patch(f"{url}/{progress['id']}", json=body("CollectionProgress", relationships={
        "completedItems": many("CollectionItem", *items)}, id=progress["id"])))["data"]["attributes"]
    assert (done["status"], done["percentComplete"], done["completedAt"]) == ("completed", 100, "2026-03-01T09:00:00Z")
    new_item(synap, "audio", "e", place, audio(synap))  # a new item: no longer complete
    again = ok(synap.get(f"/collection-tag-breakdowns/{collection['id']}"))["data"]["attributes"]["totalItems"]
    assert again == 5
    listed = everything(synap, url, **{"filter[collection]": collection["id"]})
    assert [(p["attributes"]["status"], p["attributes"]["percentComplete"]) for p in listed] == [("inProgress", 80)]
    assert progress["id"] not in {p["id"] for p in as_staff(synap, url)}
    errors(synap.patch(f"{url}/{progress['id']}", headers=STAFF, json=body("CollectionProgress", id=progress["id"])), 404)


def test_tag_breakdown_counts_items_per_tag_and_the_callers_completed_ones(synap):
    collection = new_collection(synap)
    place = in_collection(collection["id"])
    a = new_item(synap, "audio", "a", place, audio(synap), tags=["cells", "required"])["id"]
    new_item(synap, "audio", "b", place, audio(synap), tags=["cells"])
    new_item(synap, "audio", "c", place, audio(synap))
    ok(synap.post("/collection-progresses", json=body("CollectionProgress", {}, {
        "collection": one("Collection", collection["id"]), "completedItems": many("CollectionItem", a)})), 201)
    breakdown = ok(synap.get(f"/collection-tag-breakdowns/{collection['id']}", params={"include": "collection"}))
    assert breakdown["data"]["attributes"] == {"totalItems": 3, "untaggedItems": 1, "tags": [
        {"tag": "cells", "itemCount": 2, "completedCount": 1}, {"tag": "required", "itemCount": 1, "completedCount": 1}]}
    assert breakdown["included"][0]["id"] == collection["id"]
    errors(synap.get(f"/collection-tag-breakdowns/{collection['id']}", headers=STAFF), 404)  # not shared with Sam
    errors(synap.get("/collection-tag-breakdowns/nope"), 404)


# -- annotations and highlights ---------------------------------------------------------------------


def test_annotations_are_private_unless_shared_and_only_their_owner_changes_them(synap):
    collection = new_collection(synap)
    ok(synap.post("/collection-accesses", json=body("CollectionAccess", {}, {
        "userGroup": one("UserGroup", group_named(synap, "Markers")["id"]), "collection": one("Collection", collection["id"])})), 201)
    item = new_item(synap, "audio", "Listen", in_collection(collection["id"]), audio(synap))
    learner = everything(synap, "/users", **{"filter[userGroups]": group_named(synap, "Students")["id"]})[0]
    on_item = {"collectionItem": one("CollectionItemAudio", item["id"])}
    private = ok(synap.post("/annotations", json=body("Annotation", {"body": "Mine"}, {
        **on_item, "owner": one("User", learner["id"])})), 201)["data"]
    assert private["relationships"]["collection"]["data"] == {"type": "Collection", "id": collection["id"]}
    assert private["relationships"]["collectionItem"]["data"] == {"type": "CollectionItem", "id": item["id"]}
    shared = ok(synap.post("/annotations", json=body("Annotation", {"body": "For all", "isShared": True}, {
        **on_item, "owner": one("User", learner["id"])})), 201)["data"]
    sams = ok(synap.post("/annotations", headers=STAFF, json=body("Annotation", {"body": "Sam's"}, on_item)), 201)["data"]
    visible = {a["id"] for a in as_staff(synap, "/annotations")}
    assert {shared["id"], sams["id"]} <= visible and private["id"] not in visible
    errors(synap.get(f"/annotations/{private['id']}", headers=STAFF), 404)
    errors(synap.patch(f"/annotations/{shared['id']}", headers=STAFF, json=body("Annotation", {"body": "x"}, id=shared["id"])), 403)
    ok(synap.patch(f"/annotations/{sams['id']}", headers=STAFF, json=body("Annotation", {"body": "Edited"}, id=sams["id"])))
    errors(synap.post("/annotations", headers=STAFF, json=body("Annotation", {"body": "As someone else"}, {
        **on_item, "owner": one("User", learner["id"])})), 403)
    errs = errors(synap.patch(f"/annotations/{sams['id']}", headers=STAFF, json=body(
        "Annotation", relationships={"owner": one("User", learner["id"])}, id=sams["id"])), 400)
    assert errs


def test_highlights_need_ordered_offsets_and_a_collection_with_annotations_enabled(synap):
    collection = new_collection(synap)
    item = new_item(synap, "audio", "Listen", in_collection(collection["id"]), audio(synap))
    on_item = {"collectionItem": one("CollectionItem", item["id"])}
    errs = errors(synap.post("/highlights", json=body("Highlight", {"text": "x", "startOffset": 9, "endOffset": 3}, on_item)), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/endOffset"}
    made = ok(synap.post("/highlights", json=body("Highlight", {"text": "cell wall", "startOffset": 3, "endOffset": 12},
                                                  on_item)), 201)["data"]
    assert made["attributes"]["color"] == "yellow"
    hid = made["id"]
    errors(synap.patch(f"/highlights/{hid}", json=body("Highlight", {"startOffset": 20}, id=hid)), 400)
    ok(synap.patch(f"/collections/{collection['id']}", json=body("Collection", {"annotationsEnabled": False}, id=collection["id"])))
    errs = errors(synap.post("/highlights", json=body("Highlight", {"text": "x", "startOffset": 0, "endOffset": 1}, on_item)), 403)
    assert "annotationsEnabled" in errs[0]["detail"]


# -- deletes ---------------------------------------------------------------------------------------


def test_deleting_a_folder_takes_its_content_and_the_marks_on_it(synap):
    collection = new_collection(synap)
    keep, drop = new_folder(synap, collection["id"], "Keep"), new_folder(synap, collection["id"], "Drop")
    sub = new_sub_folder(synap, drop["id"], "Inside")
    kept = new_item(synap, "audio", "kept", in_folder("CollectionFolder", keep["id"]), audio(synap))["id"]
    gone = new_item(synap, "audio", "gone", in_folder("CollectionSubFolder", sub["id"]), audio(synap))["id"]
    note = ok(synap.post("/annotations", json=body("Annotation", {"body": "!"}, {"collectionItem": one("CollectionItem", gone)})), 201)
    progress = ok(synap.post("/collection-progresses", json=body("CollectionProgress", {}, {
        "collection": one("Collection", collection["id"]), "completedItems": many("CollectionItem", kept, gone)})), 201)["data"]
    assert synap.delete(f"/collection-folders/{drop['id']}").status_code == 204
    for path in (f"/collection-sub-folders/{sub['id']}", f"/collection-item-audios/{gone}",
                 f"/annotations/{note['data']['id']}", f"/collection-folders/{drop['id']}"):
        errors(synap.get(path), 404)
    assert linkage(synap, f"/collections/{collection['id']}", "folders") == [keep["id"]]
    after = everything(synap, "/collection-progresses", **{"filter[collection]": collection["id"]})[0]
    assert after["id"] == progress["id"] and ids(after["relationships"]["completedItems"]["data"]) == [kept]
    assert after["attributes"]["status"] == "completed"


def test_deleting_a_collection_deletes_everything_in_it(synap):
    collection = new_collection(synap, mocks=[{"title": "Mock"}])
    folder = new_folder(synap, collection["id"], "F")
    item = new_item(synap, "audio", "i", in_folder("CollectionFolder", folder["id"]), audio(synap))
    grant = ok(synap.post("/collection-accesses", json=body("CollectionAccess", {}, {
        "userGroup": one("UserGroup", group_named(synap, "Markers")["id"]), "collection": one("Collection", collection["id"])})), 201)
    assert synap.delete(f"/collections/{collection['id']}").status_code == 204
    errors(synap.get(f"/collection-folders/{folder['id']}"), 404)
    errors(synap.get(f"/collection-item-audios/{item['id']}"), 404)
    errors(synap.delete(f"/collection-accesses/{grant['data']['id']}"), 404)
    for path in ("/collection-items", "/collection-mocks", "/collection-progresses", "/collection-sub-folders"):
        assert not [r for r in everything(synap, path, **{"filter[collection]": collection["id"]})]


def test_seeded_collections_are_shared_with_the_core_groups(synap):
    seeded = everything(synap, "/collections")
    assert len(seeded) >= 5 and any(c["attributes"]["isArchived"] for c in seeded)
    shared = as_staff(synap, "/collections")
    assert {c["attributes"]["name"] for c in shared} >= {"Exam Technique for Markers"}
    assert len(shared) < len(seeded)
    for collection in seeded:
        tree = ok(synap.get(f"/collections/{collection['id']}", params={"include": "folders.items.items,items"}))
        placed = {r["id"] for r in tree.get("included", []) if r["type"] == "CollectionItem"}
        assert placed == {i["id"] for i in everything(synap, "/collection-items", **{"filter[collection]": collection["id"]})}
    assert {i["attributes"]["itemType"] for i in everything(synap, "/collection-items")} == {
        "audio", "document", "embed", "note", "quiz", "video", "zip"}
