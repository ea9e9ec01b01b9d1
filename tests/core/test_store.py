"""The store's contract: reads are snapshots, writes replace documents, export/restore round-trips."""

from __future__ import annotations

import sys

import orjson
import pytest

from mockserver.store import Store


def test_rows_handed_out_do_not_change_when_the_document_is_updated():
    store = Store()
    store.insert("t", 1, {"id": 1, "name": "before"})
    held = store.rows("t")[0]
    store.update("t", 1, {"name": "after"})
    assert held["name"] == "before"
    assert store.get("t", 1)["name"] == "after"


def test_get_returns_a_copy():
    store = Store()
    store.insert("t", 1, {"id": 1, "tags": "a"})
    copy = store.get("t", 1)
    copy["tags"] = "changed"
    assert store.get("t", 1)["tags"] == "a"


def test_update_and_delete_report_missing_documents():
    store = Store()
    assert store.update("t", 9, {"x": 1}) is None
    assert store.delete("t", 9) is False
    store.insert("t", 9, {"x": 0})
    assert store.update("t", 9, {"x": 1}) == {"x": 1}
    assert store.delete("t", 9) is True and store.get("t", 9) is None


def test_inserting_an_existing_id_is_refused():
    store = Store()
    store.insert("t", 1, {"id": 1})
    with pytest.raises(ValueError):
        store.insert("t", 1, {"id": 1})


def test_insert_auto_continues_after_the_largest_id():
    store = Store()
    store.insert_many("t", [(5, {"id": 5}), (2, {"id": 2})])
    assert store.insert_auto("t", {"x": 1})["id"] == 6


def test_export_restore_round_trip_keeps_primary_key_order_and_meta():
    store = Store()
    store.insert_many("t", [(i, {"id": i}) for i in (1, 2, 10, 11)])
    store.insert("tokens", "abc", {"token": "abc"})
    store.meta = {"seed": 1}
    dumped = store.dumps()
    other = Store()
    import orjson

    other.restore(orjson.loads(dumped))
    assert [r["id"] for r in other.rows("t")] == [1, 2, 10, 11]
    assert other.meta == {"seed": 1} and other.dumps() == dumped
    assert other.insert_auto("t", {})["id"] == 12


def test_restore_refuses_a_foreign_document():
    store = Store()
    store.insert("t", 1, {"id": 1})
    with pytest.raises(ValueError):
        store.restore({"tables": {}})
    assert store.count("t") == 1


def test_writes_are_in_place_not_a_table_rebuild():
    # TinyDB's stock _update_table copies the whole table per write; ours keeps the same dict.
    store = Store()
    store.insert_many("t", [(i, {"id": i}) for i in range(1, 1001)])
    table = store._raw("t")
    store.insert_auto("t", {})
    store.update("t", 5, {"x": 1})
    store.delete("t", 6)
    assert store._raw("t") is table and len(table) == 1000


def test_a_transaction_that_raises_undoes_every_write_it_made_in_place():
    store = Store()
    for key in "abcd":
        store.insert("t", key, {"id": key, "v": 0})
    store.sequence("ids")
    before = store.dumps()
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.update("t", "b", {"v": 1})
            store.delete("t", "c")
            store.insert("t", "e", {"id": "e"})
            store.sequence("ids")
            with store.transaction():  # nested: joins the outer one
                store.delete("t", "a")
                store.insert_many("u", [("x", {"id": "x"})])
            raise RuntimeError("refused")
    assert store.dumps() == before
    with store.transaction():
        store.update("t", "b", {"v": 2})
    assert store.get("t", "b")["v"] == 2


def test_a_nested_transaction_that_raises_undoes_only_its_own_writes():
    store = Store()
    with store.transaction():
        store.insert("t", 1, {"v": 1})
        try:
            with store.transaction():
                store.insert("t", 2, {"v": 2})
                store.update("t", 1, {"v": 10})
                raise ValueError("refused")
        except ValueError:
            pass
        store.insert("t", 3, {"v": 3})
    assert [d["v"] for d in store.rows("t")] == [1, 3]


def test_a_failed_transaction_undoes_meta_new_tables_and_a_whole_world_replacement():
    store = Store()
    store.insert("t", 1, {"id": 1})
    store.meta = {"seed": 1}
    store.sequence("ids")
    before = store.dumps()
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.meta = {"seed": 2}
            store.sequence("ids")
            store.insert("new_table", "x", {"id": "x"})
            store.clear()
            store.insert("t", 5, {"id": 5})
            store.restore(orjson.loads(Store().dumps()))
            store.sequence("other")
            raise RuntimeError("refused")
    assert store.dumps() == before
    assert store.counts() == {"t": 1} and store.meta["sequences"] == {"ids": 1}
    assert store.insert_auto("t", {})["id"] == 2


def test_a_nested_transaction_that_raises_undoes_its_sequences_and_deletes_too():
    store = Store()
    with store.transaction():
        store.insert("t", 1, {"id": 1})
        store.sequence("n")
        with pytest.raises(KeyError):
            with store.transaction():
                store.insert("t", 2, {"id": 2})
                store.sequence("n")
                store.delete("t", 1)
                raise KeyError("inner refused")
        store.insert("t", 3, {"id": 3})
    assert [r["id"] for r in store.rows("t")] == [1, 3] and store.meta["sequences"] == {"n": 1}


def test_a_store_made_from_a_world_shares_its_tables_until_it_writes_to_one():
    seeded = Store()
    seeded.insert_many("a", [(i, {"id": i}) for i in range(3)])
    seeded.insert_many("b", [(i, {"id": i}) for i in range(3)])
    world = seeded.freeze()
    tenant = Store(world)
    assert tenant._raw("a") is world.tables["a"] and tenant._raw("b") is world.tables["b"]
    tenant.update("a", 1, {"x": 1})
    assert tenant._raw("a") is not world.tables["a"] and tenant._raw("b") is world.tables["b"]
    assert world.tables["a"]["1"] == {"id": 1}  # the world itself never changes
    seeded.delete("b", 0)  # nor through the store it was frozen from
    assert "0" in world.tables["b"] and tenant.count("b") == 3
    with pytest.raises(RuntimeError):
        with tenant.transaction():
            tenant.restore_world(world)
            raise RuntimeError
    assert tenant.get("a", 1) == {"id": 1, "x": 1}


def test_find_answers_from_its_index_exactly_what_a_scan_answers_through_every_kind_of_write():
    import random

    from mockserver import store as store_module

    rng = random.Random(7)
    store = Store()
    store.insert_many("t", [(i, {"id": i, "status": rng.choice("abc"), "n": rng.randrange(5)}) for i in range(300)])

    def scan(**equal):
        return [dict(d) for d in store.rows("t") if all(d.get(k) == v for k, v in equal.items())]

    queries = [{"status": s} for s in "abcz"] + [{"n": n} for n in range(6)] + [{"status": "a", "n": 2}, {"n": True}, {"n": 1.0}]
    next_id = 300
    for step in range(400):
        action = rng.random()
        key = rng.randrange(next_id)
        if action < 0.3:
            store.insert("t", next_id, {"id": next_id, "status": rng.choice("abc"), "n": rng.randrange(5)})
            next_id += 1
        elif action < 0.6:
            store.update("t", key, rng.choice([{"status": rng.choice("abc")}, {"n": rng.randrange(5)}, {"other": 1}]))
        elif action < 0.8:
            store.delete("t", key)
        else:
            with pytest.raises(RuntimeError), store.transaction():
                store.delete("t", key)
                store.insert("t", f"tmp{step}", {"status": "a", "n": 0})
                store.update("t", rng.randrange(next_id), {"status": "c"})
                raise RuntimeError
        query = rng.choice(queries)
        assert store.find("t", **query) == scan(**query), (step, query)
    assert store._indexes["t"]  # the index was used, not the scan
    assert len(store.rows("t")) >= store_module.INDEX_FROM


def test_lookup_by_a_path_into_nested_documents_answers_what_a_scan_answers_through_every_kind_of_write():
    import random

    rng = random.Random(11)
    store = Store()

    def doc(i):
        return {"id": str(i), "attributes": {"locale": rng.choice(["fr", "en", None])},
                "relationships": {"owner": rng.choice([{"id": "1", "type": "users"}, {"id": "2", "type": "users"}, None])}}

    store.insert_many("t", [(i, doc(i)) for i in range(300)])
    paths = [(("attributes", "locale"), v) for v in ("fr", "en", None, "de")] + [
        (("relationships", "owner", "id"), v) for v in ("1", "2", "3")]

    def scan(path, value):
        found = []
        for d in store.rows("t"):
            at = d
            for name in path:
                at = at.get(name) if isinstance(at, dict) else None
            if at == value:
                found.append(d)
        return found

    next_id = 300
    for step in range(300):
        action, key = rng.random(), rng.randrange(next_id)
        if action < 0.3:
            store.insert("t", next_id, doc(next_id))
            next_id += 1
        elif action < 0.6:
            store.update("t", key, rng.choice([{"attributes": {"locale": "fr"}}, {"other": step},
                                                {"relationships": {"owner": None}}]))
        elif action < 0.8:
            store.delete("t", key)
        else:
            with pytest.raises(RuntimeError), store.transaction():
                store.update("t", key, {"attributes": {"locale": "en"}})
                store.insert("t", f"tmp{step}", doc(step))
                raise RuntimeError
        path, value = rng.choice(paths)
        found = store.lookup("t", path, value)
        assert found == scan(path, value), (step, path, value)
        assert all(a is b for a, b in zip(found, scan(path, value)))  # the stored documents, in table order
    assert store._indexes["t"]


def test_a_packed_world_reads_back_the_same_state_and_decodes_only_the_tables_read():
    from mockserver.store import Packed, pack_world, unpack_world

    seeded = Store()
    seeded.meta = {"seed": 1}
    seeded.insert_many("a", [(i, {"id": i, "x": [i, str(i)]}) for i in range(200)])
    seeded.insert_many("b", [(i, {"id": i}) for i in range(3)])
    data = pack_world(seeded.freeze())
    world = unpack_world(data)
    assert unpack_world(data[:-1]) is None and unpack_world(b"{}") is None  # torn or foreign: seeded again
    store = Store(world)
    assert store.dumps() == seeded.dumps()  # same state, same bytes
    tenant = Store(world)
    assert tenant.count("a") == 200 and tenant.counts() == {"a": 200, "b": 3}
    assert isinstance(world.tables["a"], Packed)
    assert tenant.get("b", 1) == {"id": 1}
    assert tenant._raw("b") is world.tables["b"].docs()  # read: decoded once, and shared
    tenant.insert("b", 9, {"id": 9})  # written: copied first, the world's stays as it was
    assert len(world.tables["b"]) == 3 and tenant.count("b") == 4
    assert [d["id"] for d in tenant.lookup("a", "id", 5)] == [5]


def test_contains_answers_what_a_scan_answers_through_writes_and_rollbacks():
    import random

    rng = random.Random(5)
    words = ["Python", "pythonic", "Algebra", "ΣΊΣΥΦΟΣ", "İstanbul", "x\x00python", "", None, 42]
    store = Store()
    store.insert_many("t", [(i, {"id": i, "name": rng.choice(words)}) for i in range(300)])

    def scan(text):
        return [d for d in store.rows("t") if d.get("name") is not None and text.lower() in str(d["name"]).lower()]

    for step in range(200):
        action, key = rng.random(), rng.randrange(320)
        if action < 0.2:
            store.insert("t", f"n{step}", {"id": step, "name": rng.choice(words)})
        elif action < 0.4:
            store.update("t", key, {"name": rng.choice(words)})
        elif action < 0.5:
            store.delete("t", key)
        elif action < 0.6:
            with pytest.raises(RuntimeError), store.transaction():
                store.update("t", key, {"name": "PYTHON"})
                raise RuntimeError
        for text in ("python", "PY", "on", "ς", "i̇st", "4", "\x00", ""):
            found = store.contains("t", "name", text)
            assert found == scan(text), (step, text)
            assert all(a is b for a, b in zip(found, scan(text)))
    store.contains("t", "name", "py")
    assert "name" in store._texts["t"]  # searched as one string, not row by row


def test_a_packed_table_is_decoded_by_its_next_read_or_write():
    from mockserver.store import Packed

    store = Store()
    store.insert_many("a", [(i, {"id": i, "n": i % 2}) for i in range(200)])
    store.pack(["a"])
    assert isinstance(store._db.storage.read()["a"], Packed) and store.count("a") == 200
    store.insert("a", 900, {"id": 900, "n": 1})
    assert store.count("a") == 201 and store.get("a", 0) == {"id": 0, "n": 0}
    store.pack(["a"])
    store.delete("a", 1)
    with pytest.raises(RuntimeError), store.transaction():
        store.update("a", 2, {"n": 5})
        raise RuntimeError
    assert [d["id"] for d in store.rows("a")][:3] == [0, 2, 3] and store.get("a", 2)["n"] == 0
    assert len(store.lookup("a", "n", 1)) == 100  # 99 odd ids left of 100, and 900


@pytest.fixture
def pool_limit(monkeypatch):
    """A pool of decoded tables of this test's own (the process's holds the live sandbox's tables
    too), and a way to set its budget."""
    from mockserver import store

    pool = store._Pool()
    monkeypatch.setattr(store, "POOL", pool)
    return lambda limit: setattr(pool, "limit", limit)


def test_a_packed_table_reads_one_document_by_decoding_only_its_page():
    from mockserver.store import PAGE, Packed

    docs = {str(i): {"id": i, "name": f"n{i}"} for i in range(PAGE * 8)}
    packed = Packed.pack(docs)
    assert len(packed.pages()) == 8 and len(packed) == PAGE * 8
    assert packed.get("517") == {"id": 517, "name": "n517"} and packed.get("nope") is None
    assert packed._docs is None and 1 <= len(packed._loaded) <= 2  # the pages of those two keys
    assert list(packed.docs().items()) == list(docs.items())  # every document, in table order
    assert packed._loaded == {}


def test_decoded_tables_past_the_budget_go_back_to_their_pages_least_recently_read_first(pool_limit):
    from mockserver import store
    from mockserver.store import Packed

    tables = [Packed.pack({str(i): {"id": i, "t": t, "text": f"{t}" * 40} for i in range(300)}) for t in range(4)]
    pool_limit(1 << 30)
    one = tables[0].docs() and tables[0]._size  # what a table's documents take decoded (estimated)
    assert 300 * sys.getsizeof({"id": 1000}) < one < 300 * 1000
    pool_limit(3 * one + 100 * 300 + 250)  # three tables, and an index on one
    for table in tables[:3]:
        table.docs()
    tables[0].get("7")  # read again: the second table is now the least recently read
    assert store.POOL.used() == 3 * one
    tables[3].index("t")
    assert tables[1]._docs is None and tables[1].derived == {}  # dropped, with its index
    assert all(t._docs is not None for t in (tables[0], tables[2], tables[3]))
    assert tables[1].get("299") == {"id": 299, "t": 1, "text": "1" * 40}  # decoded again when read
    pool_limit(0)
    tables[2].docs()
    assert [t._docs is not None for t in tables] == [False, False, True, False]  # only the one being read


def test_a_store_on_a_packed_world_answers_what_a_plain_store_answers_whatever_the_budget(pool_limit):
    """Differential: the same random reads and writes on a store of plain tables and on stores of
    the same world packed, one with no budget to speak of (every read may decode again)."""
    import random

    from mockserver.store import pack_world, unpack_world

    rng = random.Random(11)
    plain = Store()
    plain.insert_many("t", [(i, {"id": i, "g": i % 7, "p": {"k": i % 3}, "name": f"Name {i}"}) for i in range(700)])
    plain.insert_many("u", [(i, {"id": i, "t": i % 50}) for i in range(400)])
    world = plain.freeze()
    stores = []
    for limit in (256 << 20, 0):
        pool_limit(limit)
        stores.append(Store(unpack_world(pack_world(world))))
    for step in range(300):
        action, table = rng.random(), rng.choice("tu")
        key = rng.randrange(720)
        for store in (plain, *stores):
            pool_limit(0 if store is stores[1] else 256 << 20)
            if action < 0.1:
                store.insert(table, f"n{step}", {"id": step, "g": 1, "t": 1, "p": {"k": 1}, "name": "new"})
            elif action < 0.2:
                store.update(table, key, {"g": random.Random(step).randrange(7)})
            elif action < 0.25:
                store.delete(table, key)
            elif action > 0.8 and store is not plain:
                store.pack(["t", "u"])  # packed again: the next reads go through its pages
        answers = []
        for store in (plain, *stores):
            pool_limit(0 if store is stores[1] else 256 << 20)
            answers.append((store.get(table, key), store.lookup("t", "g", step % 7), store.lookup("t", ("p", "k"), 2),
                            store.find("u", t=step % 50), store.contains("t", "name", str(step % 10)),
                            len(store.rows(table)), store.count(table)))
        assert answers[1] == answers[0] and answers[2] == answers[0], step
    assert stores[0].dumps() == stores[1].dumps() == plain.dumps()
