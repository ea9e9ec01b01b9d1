"""Property: a Synap list's meta is consistent with itself and with the rows, for every combination
of filter, limit and offset (seed 000's meta: current and deprecated names)."""

from __future__ import annotations

import math

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LOCALES = ["en", "fr", "de", "es", "xx"]


@pytest.fixture(scope="module")
def synap_world(sandbox):
    sandbox.reset()
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {sandbox.credentials['synap']['token']}"
    root = sandbox.api("synap")
    everyone = session.get(root + "/users", params={"limit": 10_000, "offset": 0}, timeout=30).json()["data"]
    yield session, root, everyone
    session.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(locales=st.one_of(st.none(), st.lists(st.sampled_from(LOCALES), min_size=1, max_size=3, unique=True)),
       limit=st.integers(min_value=1, max_value=80), offset=st.integers(min_value=0, max_value=90))
def test_meta_is_consistent_for_every_filter_limit_and_offset(synap_world, locales, limit, offset):
    session, root, everyone = synap_world
    params = {"limit": limit, "offset": offset, "sort": "createdAt"}
    if locales is not None:
        params["filter[locale]"] = ",".join(locales)
    response = session.get(root + "/users", params=params, timeout=30)
    assert response.status_code == 200, response.text
    document = response.json()
    meta, data = document["meta"], document["data"]
    matching = [u for u in everyone if locales is None or u["attributes"]["locale"] in locales]
    assert meta["total"] == len(matching)
    assert meta["totalWithoutFilters"] == len(everyone)
    assert meta["limit"] == limit and meta["offset"] == offset
    assert meta["pages"] == math.ceil(meta["total"] / limit)
    assert meta["page"] == offset // limit + 1
    assert meta["resultCount"] == len(data) == max(0, min(limit, meta["total"] - offset))
    assert (meta["totalCount"], meta["totalPages"], meta["currentPage"]) == (meta["total"], meta["pages"], meta["page"])
    expected = sorted(matching, key=lambda u: u["attributes"]["createdAt"])[offset : offset + limit]
    assert [u["id"] for u in data] == [u["id"] for u in expected]
