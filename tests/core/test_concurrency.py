"""Many request threads at once: no lost, duplicated or half-written rows."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from mockserver.store import Store

THREADS = 16
CREATES_PER_THREAD = 25


def test_parallel_creates_and_lists_lose_and_duplicate_nothing(fresh):
    api = fresh.api("quiz") + "/quiz/sessions"
    headers = {"Authorization": f"Bearer {fresh.credentials['quiz']['token']}"}
    start = threading.Barrier(THREADS)

    def worker(n):
        created, seen_counts = [], []
        with requests.Session() as http:
            http.headers.update(headers)
            start.wait(timeout=30)
            for i in range(CREATES_PER_THREAD):
                body = {"data": {"type": "quiz/sessions", "attributes": {"person_id": 100_000 + n}}}
                response = http.post(api, json=body, timeout=30)
                assert response.status_code == 201, response.text
                created.append(response.json()["data"]["id"])
                if i % 5 == 0:
                    listed = http.get(api, params={"count": "true", "page[size]": 5}, timeout=30)
                    assert listed.status_code == 200
                    seen_counts.append(listed.json()["meta"]["count"])
        return created, seen_counts

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))

    created = [i for ids, _ in results for i in ids]
    assert len(created) == THREADS * CREATES_PER_THREAD
    assert len(set(created)) == len(created), "an id was handed out twice"
    for _, counts in results:  # counts seen by one client never go backwards
        assert counts == sorted(counts)
    # Verse declares filter[person_id] (equality; an array is IN), not person_id__gte
    people = [("filter[person_id][]", 100_000 + n) for n in range(THREADS)]
    listed = requests.get(api, params=[("count", "true"), *people], headers=headers).json()
    assert listed["meta"]["count"] == len(created)
    per_person = {}
    for row in listed["data"]:
        per_person[row["attributes"]["person_id"]] = per_person.get(row["attributes"]["person_id"], 0) + 1
    assert per_person == {100_000 + n: CREATES_PER_THREAD for n in range(THREADS)}
    total = requests.get(api, params={"count": "true"}, headers=headers).json()["meta"]["count"]
    assert total == 304 + len(created)


def test_store_insert_auto_under_64_threads_gives_unique_sequential_ids():
    store = Store()
    barrier = threading.Barrier(64)

    def insert(n):
        barrier.wait(timeout=30)
        return [store.insert_auto("things", {"n": n, "i": i})["id"] for i in range(50)]

    with ThreadPoolExecutor(64) as pool:
        ids = [i for batch in pool.map(insert, range(64)) for i in batch]
    assert sorted(ids) == list(range(1, 64 * 50 + 1))
    assert store.count("things") == 64 * 50


def test_a_transaction_makes_check_then_insert_atomic():
    store = Store()
    barrier = threading.Barrier(32)

    def enroll_once(_):
        barrier.wait(timeout=30)
        with store.transaction():
            if store.find_one("enrollments", user=1) is None:
                store.insert_auto("enrollments", {"user": 1})

    with ThreadPoolExecutor(32) as pool:
        list(pool.map(enroll_once, range(32)))
    assert store.count("enrollments") == 1
