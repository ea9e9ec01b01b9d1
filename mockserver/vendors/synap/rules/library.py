"""The Library: files, embeds, contents, notes and SCORM courses.

- File (see files.yaml): any user uploads one; the sandbox stores no bytes and
  gives it a ``url``.
- ContentEmbedDatum: an http(s) URL; YouTube and Vimeo links get their player URL.
- Content: exactly one of an attachment (a File) or embedData; its ``contentType`` follows that
  (embed, or the file's MIME type) and cannot change while collection items show it (they need
  content of their kind). A content or note that collection items show cannot be deleted (409).
- ScormCourse: imported from a zip File on the sandbox clock (rules/jobs.py): pending, processing,
  complete with a ``launchUrl``; a new package restarts the import.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlparse

from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules import access, jobs

ZIP_TYPES = {"application/zip", "application/x-zip-compressed", "application/x-zip"}


def _id(record: dict | None, name: str) -> str | None:
    value = (record or {}).get("relationships", {}).get(name)
    return value["id"] if value else None


def _owned(call, record) -> None:
    if record["relationships"].get("owner") is None and call.user_id:
        record["relationships"]["owner"] = {"type": "User", "id": call.user_id}


def kind_of_mime(mime: str | None) -> str:
    mime = (mime or "").lower()
    if mime in ZIP_TYPES:
        return "zip"
    for prefix in ("audio", "video", "image"):
        if mime.startswith(prefix + "/"):
            return prefix
    return "document"


def content_type(store, registry, content: dict | None) -> str | None:
    if content is None:
        return None
    if content["relationships"].get("embedData"):
        return "embed"
    attachment = store.get(table("File"), _id(content, "attachment") or "")
    return kind_of_mime(attachment["attributes"]["mimeType"]) if attachment else None


def shown_by_items(call, name: str, record_id: str) -> list[str]:
    """Ids of the collection items that link to ``record_id`` through ``name``."""
    rows = call.store.rows(table("CollectionItem"))
    return [i["id"] for i in rows if _id(i, name) == record_id]


def refuse_delete_if_shown(call, name: str, record: dict) -> None:
    items = shown_by_items(call, name, record["id"])
    if items:
        raise Conflict(f"Collection items {', '.join(items)} show this {name}; delete or change them first.")


class Files:
    def create(self, call, record, body) -> None:
        _owned(call, record)
        name = quote(record["attributes"]["name"])
        record["attributes"]["url"] = f"{jobs.FILES}/{call.sandbox.tenant}/files/{record['id']}/{name}"


def embed(url: str, width: int | None = None, height: int | None = None) -> dict | None:
    """A ContentEmbedDatum's worked-out attributes for ``url`` (None: not an http(s) URL)."""
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return None
    host = parsed.netloc.lower().removeprefix("www.").removeprefix("m.")
    provider, player = "other", url
    if host in ("youtube.com", "youtu.be"):
        video = parse_qs(parsed.query).get("v", [""])[0] if host == "youtube.com" else parsed.path.strip("/")
        if re.fullmatch(r"[\w-]{6,}", video or ""):
            provider, player = "youtube", f"https://www.youtube.com/embed/{video}"
    elif host in ("vimeo.com", "player.vimeo.com"):
        video = parsed.path.rstrip("/").rsplit("/", 1)[-1]
        if video.isascii() and video.isdigit():
            provider, player = "vimeo", f"https://player.vimeo.com/video/{video}"
    size = f' width="{width or 640}" height="{height or 360}"'
    return {"url": url, "provider": provider, "embedUrl": player,
            "html": f'<iframe src="{player}"{size} frameborder="0" allowfullscreen></iframe>'}


class Embeds:
    allow = staticmethod(access.allow)

    def create(self, call, record, body) -> None:
        attrs = record["attributes"]
        fields = embed(attrs["url"], attrs.get("width"), attrs.get("height"))
        if fields is None:
            raise invalid(("attributes", "url"), "An embed needs an http(s) URL.")
        attrs.update(fields)


class Contents:
    allow = staticmethod(access.allow)

    def _one_source(self, rels: dict) -> None:
        if bool(rels.get("attachment")) == bool(rels.get("embedData")):
            raise invalid(("relationships",), "A Content has exactly one of attachment (a File) and embedData.")

    def create(self, call, record, body) -> None:
        self._one_source(record["relationships"])
        _owned(call, record)

    def attributes(self, call, record) -> dict:
        attachment = call.record("File", _id(record, "attachment") or "")
        return {"contentType": content_type(call.store, call.registry, record),
                "attachmentMimeType": attachment["attributes"]["mimeType"] if attachment else None}

    def reassign(self, call, record, rels) -> None:
        after = {**record, "relationships": {**record["relationships"], **rels}}
        self._one_source(after["relationships"])
        before_type = content_type(call.store, call.registry, record)
        after_type = content_type(call.store, call.registry, after)
        items = shown_by_items(call, "content", record["id"])
        if after_type != before_type and items:
            raise Conflict(f"Collection items {', '.join(items)} show this {before_type} content; it cannot "
                           f"become {after_type}.")

    def delete(self, call, record) -> None:
        refuse_delete_if_shown(call, "content", record)


class Notes:
    allow = staticmethod(access.allow)

    def create(self, call, record, body) -> None:
        _owned(call, record)

    def delete(self, call, record) -> None:
        refuse_delete_if_shown(call, "note", record)


class Scorm:
    allow = staticmethod(access.allow)

    def _package(self, call, rels: dict) -> None:
        package = rels.get("package")
        found = call.record("File", package["id"]) if package else None
        if found is None:
            raise invalid(("relationships", "package"), "A ScormCourse needs its package (a zip File).")
        if found["attributes"]["mimeType"].lower() not in ZIP_TYPES:
            raise invalid(("relationships", "package", "data"), "A SCORM package is a zip file.")

    def create(self, call, record, body) -> None:
        self._package(call, record["relationships"])
        _owned(call, record)
        jobs.create(call, record, body)

    def reassign(self, call, record, rels) -> None:
        if "package" in rels:
            self._package(call, rels)
            if rels["package"]["id"] != _id(record, "package"):  # a new package: import again
                call.store.update(table("ScormCourse"), record["id"], {"_startedAt": call.timestamp})

    def attributes(self, call, record) -> dict:
        state = jobs.state(call, record)
        done = state["status"] == "complete"
        return {"importStatus": state["status"], "importProgress": state["progress"], "importedAt": state["completedAt"],
                "launchUrl": f"{jobs.FILES}/{call.sandbox.tenant}/scorm/{record['id']}/index.html" if done else None}


file = Files()
content_embed_datum = Embeds()
content = Contents()
note = Notes()
scorm_course = Scorm()
