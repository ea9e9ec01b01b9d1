"""Skilljar commerce: offers, promo-code pools and codes, training-credit codes, purchases."""

from __future__ import annotations

import json

import pytest

from support import Receiver, wait_for
from skilljar_oracle import check, needs_oracle
from skilljar_helpers import D, DEMO_EMAIL, demo_user, everything, ok, table

POOL = {"name": "Launch week", "discount_type": "PERCENT_OFF", "percent_off": 25,
        "starts_at": "2026-01-01T00:00:00+00:00"}


def purchases(fresh, **equal):
    return [p for p in table(fresh, "skilljar_purchases") if all(p.get(k) == v for k, v in equal.items())]


def enrollments_of(sj, published_course_id, user_id):
    rows = everything(sj, f"/domains/{D}/published-courses/{published_course_id}/enrollments")
    return [e for e in rows if e["user"]["id"] == user_id]


def new_pool(sj, **extra):
    return ok(sj.post("/promo-code-pools", json={**POOL, **extra}), 201)


# -- offers -----------------------------------------------------------------------------------


def test_offers_are_the_published_courses_offers_with_the_same_ids_and_prices(sj):
    offers = everything(sj, "/offers")
    published = everything(sj, f"/domains/{D}/published-courses")
    by_id = {o["id"]: o for o in offers}
    for course in published:
        offer = by_id[course["offer"]["id"]]
        assert offer["published_course_id"] == course["id"] and offer["domain_name"] == D
        assert offer["offer_type"] == "published_course"
        assert offer["price_cents"] == round(float(course["offer"]["price"]["amount"]) * 100)
        assert offer["active"] is course["offer"]["registration_open"]


def test_offers_page_by_250_by_default(sj):
    page = ok(sj.get("/offers"))
    assert len(page["results"]) == min(page["count"], 250)
    assert ok(sj.get("/offers", params={"page_size": 2}))["next"].endswith("page_size=2&page=2")


def test_an_offers_page_past_the_end_is_a_404(sj):
    assert sj.get("/offers", params={"page": 999}).json() == {"detail": "Invalid page."}


# -- promo-code pools -------------------------------------------------------------------------


def test_a_created_pool_is_listed_and_filterable_by_name(sj):
    created = new_pool(sj, expires_at="2026-06-01T00:00:00Z")
    assert created["starts_at"] == "2026-01-01T00:00:00Z" and created["active"] is True
    assert created["discount_type"] == "PERCENT_OFF" and created["price_cents"] is None
    assert created["single_use_per_user"] is False
    assert [p["id"] for p in everything(sj, "/promo-code-pools", name="Launch week")] == [created["id"]]


@pytest.mark.parametrize("body, field", [
    ({"discount_type": "PRICE_OVERRIDE"}, "price_cents"),
    ({"discount_type": "PERCENT_OFF", "percent_off": None}, "percent_off"),
    ({"percent_off": 120}, "percent_off"),
    ({"expires_at": "2025-01-01T00:00:00Z"}, "expires_at"),
    ({"starts_at": "yesterday"}, "starts_at"),
    ({"name": ""}, "name"),
])
def test_a_pool_needs_the_discount_its_type_names_and_a_sane_period(sj, body, field):
    response = sj.post("/promo-code-pools", json={**POOL, **body})
    assert response.status_code == 400 and list(response.json()) == [field]


def test_a_pool_without_required_fields_is_a_400_per_field(sj):
    assert sj.post("/promo-code-pools", json={"name": "x"}).json() == {
        "discount_type": ["This field is required."], "starts_at": ["This field is required."]}


def test_put_and_patch_both_update_a_pool_partially(sj):
    pool = new_pool(sj)
    ok(sj.put(f"/promo-code-pools/{pool['id']}", json={"name": "Renamed"}))
    patched = ok(sj.patch(f"/promo-code-pools/{pool['id']}", json={"active": False}))
    assert patched == {**{k: pool[k] for k in patched}, "name": "Renamed", "active": False}
    listed = everything(sj, "/promo-code-pools", name="Renamed")
    assert listed[0]["active"] is False and listed[0]["percent_off"] == 25


def test_updating_an_unknown_pool_is_a_404_and_a_bad_period_a_400(sj):
    assert sj.patch("/promo-code-pools/nope", json={"name": "x"}).json() == {"detail": "Not found."}
    pool = new_pool(sj)
    response = sj.put(f"/promo-code-pools/{pool['id']}", json={"expires_at": "2025-12-31T00:00:00Z"})
    assert response.status_code == 400 and "expires_at" in response.json()


def test_deleting_a_pool_deletes_its_codes_and_unlinks_purchases_that_used_them(sj, fresh):
    used = next(p for p in purchases(fresh) if p["_promo_code"])
    code = next(c for c in table(fresh, "skilljar_promo_codes") if c["id"] == used["_promo_code"])
    pool_id = code["promo_code_pool_id"]
    assert ok(sj.get(f"/purchases/{used['id']}"))["promo_code"] == code["code"]
    assert everything(sj, "/promo-codes", promo_code_pool_id=pool_id)

    assert sj.delete(f"/promo-code-pools/{pool_id}").status_code == 204
    assert everything(sj, "/promo-codes", promo_code_pool_id=pool_id) == []
    assert pool_id not in {p["id"] for p in everything(sj, "/promo-code-pools")}
    after = ok(sj.get(f"/purchases/{used['id']}"))
    assert after["promo_code"] is None and after["price_cents"] == used["price_cents"]
    assert sj.delete(f"/promo-code-pools/{pool_id}").json() == {"detail": "Not found."}


def test_offers_attach_to_a_pool_once_and_filter_the_pool_list(sj):
    pool = new_pool(sj)
    offers = [o["id"] for o in everything(sj, "/offers")[:3]]
    first = ok(sj.post(f"/promo-code-pools/{pool['id']}/offers", json={"id": offers[0]}), 201)
    assert [o["id"] for o in first["offers"]] == [offers[0]]
    both = ok(sj.post(f"/promo-code-pools/{pool['id']}/offers", json=[{"id": offers[0]}, {"id": offers[1]}]), 201)
    assert [o["id"] for o in both["offers"]] == offers[:2]
    listed = ok(sj.get(f"/promo-code-pools/{pool['id']}/offers"))
    assert listed["count"] == 1 and [o["id"] for o in listed["results"][0]["offers"]] == offers[:2]
    assert pool["id"] in {p["id"] for p in everything(sj, "/promo-code-pools", offer_id=offers[1])}
    assert pool["id"] not in {p["id"] for p in everything(sj, "/promo-code-pools", offer_id=offers[2])}


def test_attaching_an_unknown_offer_attaches_nothing(sj):
    pool = new_pool(sj)
    good = everything(sj, "/offers")[0]["id"]
    response = sj.post(f"/promo-code-pools/{pool['id']}/offers", json=[{"id": good}, {"id": "nosuchoffer"}])
    assert response.status_code == 400 and "id" in response.json()
    assert ok(sj.get(f"/promo-code-pools/{pool['id']}/offers"))["results"] == [{"offers": []}]


def test_pool_offers_of_an_unknown_pool_are_a_404(sj):
    assert sj.get("/promo-code-pools/nope/offers").status_code == 404
    assert sj.post("/promo-code-pools/nope/offers", json={"id": "x"}).json() == {"detail": "Not found."}


# -- promo codes ------------------------------------------------------------------------------


def test_a_promo_code_is_created_in_its_pool_and_filterable(sj):
    pool = new_pool(sj)
    code = ok(sj.post("/promo-codes", json={"code": "Launch-25", "max_uses": 30, "promo_code_pool_id": pool["id"]}), 201)
    assert code == {"id": code["id"], "code": "Launch-25", "use_count": 0, "max_uses": 30, "active": True,
                    "promo_code_pool_id": pool["id"]}
    assert everything(sj, "/promo-codes", promo_code_pool_id=pool["id"]) == [code]
    assert everything(sj, "/promo-codes", code="Launch-25") == [code]
    assert everything(sj, "/promo-codes", code="launch-25") == []  # case sensitive
    assert code["id"] in {c["id"] for c in everything(sj, "/promo-codes", active="true")}
    assert code["id"] not in {c["id"] for c in everything(sj, "/promo-codes", active="false")}


def test_a_promo_code_needs_an_existing_pool_and_an_unused_code(sj):
    response = sj.post("/promo-codes", json={"code": "X1", "max_uses": 1, "promo_code_pool_id": "nope"})
    assert response.json() == {"promo_code_pool_id": ['Invalid pk "nope" - object does not exist.']}
    pool = new_pool(sj)
    ok(sj.post("/promo-codes", json={"code": "X1", "max_uses": 1, "promo_code_pool_id": pool["id"]}), 201)
    again = sj.post("/promo-codes", json={"code": "X1", "max_uses": 1, "promo_code_pool_id": pool["id"]})
    assert again.status_code == 400 and list(again.json()) == ["code"]
    assert sj.post("/promo-codes", json={"code": "X2"}).json() == {
        "max_uses": ["This field is required."], "promo_code_pool_id": ["This field is required."]}


def test_put_and_patch_both_update_a_promo_code_partially(sj):
    pool = new_pool(sj)
    code = ok(sj.post("/promo-codes", json={"code": "P1", "max_uses": 5, "promo_code_pool_id": pool["id"]}), 201)
    ok(sj.put(f"/promo-codes/{code['id']}", json={"max_uses": 9}))
    patched = ok(sj.patch(f"/promo-codes/{code['id']}", json={"active": False, "code": "P2"}))
    assert patched == {**code, "max_uses": 9, "active": False, "code": "P2"}
    assert everything(sj, "/promo-codes", code="P2") == [patched]


def test_a_promo_code_update_keeps_codes_unique_and_max_uses_above_uses(sj, fresh):
    used = next(c for c in table(fresh, "skilljar_promo_codes") if c["use_count"] > 0)
    other = next(c for c in table(fresh, "skilljar_promo_codes") if c["id"] != used["id"])
    assert list(sj.patch(f"/promo-codes/{other['id']}", json={"code": used["code"]}).json()) == ["code"]
    assert list(sj.put(f"/promo-codes/{used['id']}", json={"max_uses": used["use_count"] - 1}).json()) == ["max_uses"]
    assert sj.patch("/promo-codes/nope", json={"active": False}).json() == {"detail": "Not found."}


# -- training-credit codes --------------------------------------------------------------------


def test_a_training_credit_code_is_created_and_filterable(sj):
    created = ok(sj.post("/training-credit-codes", json={
        "training_credit_code": "ACME-2026", "credits_total": 500, "tracking_identifier": "PO-42",
        "expiration_date": "2027-01-01T00:00:00+00:00"}), 201)
    assert created["credits_used"] == 0 and created["expiration_date"] == "2027-01-01T00:00:00Z"
    assert created["available_to_all_students"] is True and created["available_for_all_offers"] is True
    listed = everything(sj, "/training-credit-codes", tracking_identifier="PO-42")
    assert listed == [{k: created[k] for k in listed[0]}] and "available_for_all_offers" not in listed[0]
    assert [c["id"] for c in everything(sj, "/training-credit-codes", training_credit_code="ACME-2026")] == [created["id"]]


@pytest.mark.parametrize("extra, field", [
    ({"available_for_all_offers": False}, "offers"),
    ({"available_for_all_offers": False, "offers": ["nosuchoffer"]}, "offers"),
    ({"available_to_all_students": False}, "student_groups"),
    ({"expiration_date": "soon"}, "expiration_date"),
    ({"credits_total": "lots"}, "credits_total"),
])
def test_a_training_credit_code_needs_its_audience_and_valid_values(sj, extra, field):
    response = sj.post("/training-credit-codes", json={"training_credit_code": "C-1", "credits_total": 5, **extra})
    assert response.status_code == 400 and list(response.json()) == [field]


def test_a_training_credit_code_is_unique(sj):
    ok(sj.post("/training-credit-codes", json={"training_credit_code": "DUP", "credits_total": 5}), 201)
    again = sj.post("/training-credit-codes", json={"training_credit_code": "DUP", "credits_total": 5})
    assert list(again.json()) == ["training_credit_code"]


def test_patching_a_training_credit_code_adds_then_removes_offers(sj, fresh):
    offers = [o["id"] for o in everything(sj, "/offers")[:2]]
    code = ok(sj.post("/training-credit-codes", json={"training_credit_code": "T1", "credits_total": 10,
                                                     "available_for_all_offers": False, "offers": [offers[0]]}), 201)
    patched = ok(sj.patch(f"/training-credit-codes/{code['id']}", json={
        "credits_total": 20, "offers": {"add": [offers[1]], "remove": [offers[0]]}}))
    assert patched["credits_total"] == 20 and patched["available_for_all_offers"] is False
    stored = next(c for c in table(fresh, "skilljar_training_credit_codes") if c["id"] == code["id"])
    assert stored["_offers"] == [offers[1]]
    emptied = sj.patch(f"/training-credit-codes/{code['id']}", json={"offers": {"remove": [offers[1]]}})
    assert list(emptied.json()) == ["offers"]


def test_a_training_credit_code_keeps_credits_above_those_used(sj, fresh):
    used = next(c for c in table(fresh, "skilljar_training_credit_codes") if c["credits_used"] > 0)
    response = sj.patch(f"/training-credit-codes/{used['id']}", json={"credits_total": used["credits_used"] - 1})
    assert list(response.json()) == ["credits_total"]
    assert sj.patch("/training-credit-codes/nope", json={"credits_total": 1}).json() == {"detail": "Not found."}


# -- purchases --------------------------------------------------------------------------------


def demo_pending(sj, fresh):
    user = demo_user(sj)
    return user, next(p for p in purchases(fresh, _user=user["id"], state="PENDING"))


def test_a_purchase_shows_its_buyer_offer_and_price(sj, fresh):
    user, pending = demo_pending(sj, fresh)
    shown = ok(sj.get(f"/purchases/{pending['id']}"))
    assert shown["user"]["id"] == user["id"] and shown["user"]["email"] == DEMO_EMAIL
    assert shown["state"] == "PENDING" and shown["offer_id"] == pending["offer_id"]
    offer = next(o for o in everything(sj, "/offers") if o["id"] == pending["offer_id"])
    assert shown["offer_price_cents"] == offer["price_cents"] and shown["offer_sku"] == offer["sku"]
    assert sj.get("/purchases/nope").json() == {"detail": "Not found."}


def test_put_and_patch_both_update_a_purchase_partially_and_refunds_are_dated(sj, fresh):
    fresh.clock(now="2026-09-01T12:00:00Z", frozen=True)
    _, pending = demo_pending(sj, fresh)
    ok(sj.put(f"/purchases/{pending['id']}", json={"tax_price_cents": 100}))
    refunded = ok(sj.patch(f"/purchases/{pending['id']}", json={"state": "REFUNDED", "refund_cents": 50}))
    assert refunded["tax_price_cents"] == 100 and refunded["refund_cents"] == 50
    assert refunded["state"] == "REFUNDED" and refunded["refunded_at"] == "2026-09-01T12:00:00Z"
    assert ok(sj.get(f"/purchases/{pending['id']}")) == refunded


def test_a_purchase_update_rejects_an_excess_refund_and_unknown_states(sj, fresh):
    _, pending = demo_pending(sj, fresh)
    too_much = sj.patch(f"/purchases/{pending['id']}", json={"refund_cents": pending["price_cents"] + 1})
    assert list(too_much.json()) == ["refund_cents"]
    assert sj.patch(f"/purchases/{pending['id']}", json={"state": "PAID"}).json() == {"state": ["Not a valid choice."]}
    assert sj.put("/purchases/nope", json={"price_cents": 1}).status_code == 404


def test_fulfilling_with_success_enrolls_the_buyer_once_and_raises_events(sj, fresh):
    receiver = Receiver([200] * 10)
    try:
        ok(sj.post("/webhooks", json={"target_url": receiver.url(), "event_type": None}), 201)
        user, pending = demo_pending(sj, fresh)
        offer = next(o for o in everything(sj, "/offers") if o["id"] == pending["offer_id"])
        before = enrollments_of(sj, offer["published_course_id"], user["id"])
        done = ok(sj.post(f"/purchases/{pending['id']}/fulfill",
                          json={"state": "SUCCESS", "payment_processor_order_id": "ch_123"}))
        assert done["purchase"]["state"] == "SUCCESS" and done["purchase"]["payment_processor_order_id"] == "ch_123"
        assert done["redirect_url"].startswith(f"https://{D}/")
        after = enrollments_of(sj, offer["published_course_id"], user["id"])
        new = [e for e in after if e not in before]
        assert len(new) == 1 and new[0]["purchase"]["purchase_id"] == pending["id"]
        assert new[0]["purchase"]["purchase_state"] == "SUCCESS"
        assert ok(sj.post(f"/purchases/{pending['id']}/fulfill", json={"state": "SUCCESS"}))["purchase"]["state"] == "SUCCESS"
        assert len(enrollments_of(sj, offer["published_course_id"], user["id"])) == len(after)  # no second one
        assert wait_for(lambda: len(receiver.requests) == 2)
        types = sorted(json.loads(r["body"])["event_type"] for r in receiver.requests)
        assert types == ["COURSE_ENROLLMENT", "PURCHASE_FULFILLMENT"]
        assert ok(sj.get(f"/purchases/{pending['id']}"))["state"] == "SUCCESS"
    finally:
        receiver.close()


def test_fulfilling_counts_one_use_of_the_promo_code(sj, fresh):
    pending = next(p for p in purchases(fresh, state="PENDING") if p["_promo_code"])
    code = next(c for c in table(fresh, "skilljar_promo_codes") if c["id"] == pending["_promo_code"])
    ok(sj.post(f"/purchases/{pending['id']}/fulfill", json={"state": "SUCCESS"}))
    assert everything(sj, "/promo-codes", code=code["code"])[0]["use_count"] == code["use_count"] + 1


@pytest.mark.parametrize("state", ["FAILED", "CANCELLED"])
def test_failed_and_cancelled_fulfillments_record_the_message_and_enroll_nobody(sj, fresh, state):
    user, pending = demo_pending(sj, fresh)
    offer = next(o for o in everything(sj, "/offers") if o["id"] == pending["offer_id"])
    before = enrollments_of(sj, offer["published_course_id"], user["id"])
    done = ok(sj.post(f"/purchases/{pending['id']}/fulfill", json={"state": state, "error_msg": "Card declined"}))
    assert done["purchase"]["state"] == state and done["purchase"]["status_msg"] == "Card declined"
    assert done["redirect_url"].endswith(f"/checkout/{pending['offer_id']}")
    assert enrollments_of(sj, offer["published_course_id"], user["id"]) == before


def test_a_closed_purchase_cannot_be_fulfilled_and_unknown_ones_are_404(sj, fresh):
    closed = purchases(fresh, state="CANCELLED")[0] if purchases(fresh, state="CANCELLED") else None
    _, pending = demo_pending(sj, fresh)
    if closed is None:
        ok(sj.post(f"/purchases/{pending['id']}/fulfill", json={"state": "CANCELLED"}))
        closed = pending
    response = sj.post(f"/purchases/{closed['id']}/fulfill", json={"state": "SUCCESS"})
    assert response.status_code == 400 and list(response.json()) == ["state"]
    assert sj.post("/purchases/nope/fulfill", json={"state": "SUCCESS"}).json() == {"detail": "Not found."}
    assert sj.post(f"/purchases/{pending['id']}/fulfill", json={"state": "REFUNDED"}).json() == {"state": ["Not a valid choice."]}
    assert sj.post(f"/purchases/{pending['id']}/fulfill", json={}).json() == {"state": ["This field is required."]}


# -- against the official contract ------------------------------------------------------------

def check_purchase(response, method, template):
    # The promo fields' nulls are allowed by skilljar_oracle.KNOWN_NULLABLE (with the reason).
    check(response, method, template)


@needs_oracle
def test_commerce_responses_validate_against_the_official_schemas(sj, fresh):
    offers = everything(sj, "/offers")
    check(sj.get("/offers", params={"page_size": 5}), "GET", "/offers")
    check(sj.get("/promo-code-pools"), "GET", "/promo-code-pools")
    created = sj.post("/promo-code-pools", json={**POOL, "discount_type": "PRICE_OVERRIDE", "price_cents": 1000})
    check(created, "POST", "/promo-code-pools")
    pool = created.json()["id"]
    check(sj.put(f"/promo-code-pools/{pool}", json={"name": "A"}), "PUT", "/promo-code-pools/{promo_code_pool_id}")
    check(sj.patch(f"/promo-code-pools/{pool}", json={"expires_at": None}), "PATCH", "/promo-code-pools/{promo_code_pool_id}")
    check(sj.post(f"/promo-code-pools/{pool}/offers", json={"id": offers[0]["id"]}), "POST",
          "/promo-code-pools/{promo_code_pool_id}/offers")
    check(sj.get(f"/promo-code-pools/{pool}/offers"), "GET", "/promo-code-pools/{promo_code_pool_id}/offers")
    code = sj.post("/promo-codes", json={"code": "ORACLE", "max_uses": 3, "promo_code_pool_id": pool})
    check(code, "POST", "/promo-codes")
    check(sj.get("/promo-codes"), "GET", "/promo-codes")
    check(sj.put(f"/promo-codes/{code.json()['id']}", json={"max_uses": 4}), "PUT", "/promo-codes/{promo_code_id}")
    check(sj.patch(f"/promo-codes/{code.json()['id']}", json={"active": False}), "PATCH", "/promo-codes/{promo_code_id}")
    credit = sj.post("/training-credit-codes", json={"training_credit_code": "OR-1", "credits_total": 3})
    check(credit, "POST", "/training-credit-codes")
    check(sj.get("/training-credit-codes"), "GET", "/training-credit-codes")
    check(sj.patch(f"/training-credit-codes/{credit.json()['id']}", json={"credits_total": 9}), "PATCH",
          "/training-credit-codes/{training_credit_code_id}")
    pending = purchases(fresh, state="PENDING")
    first, second = pending[0]["id"], pending[1]["id"]
    check_purchase(sj.get(f"/purchases/{first}"), "GET", "/purchases/{purchase_id}")
    check_purchase(sj.put(f"/purchases/{first}", json={"tax_price_cents": 10}), "PUT", "/purchases/{purchase_id}")
    check_purchase(sj.patch(f"/purchases/{first}", json={"tax_price_cents": 20}), "PATCH", "/purchases/{purchase_id}")
    check_purchase(sj.post(f"/purchases/{first}/fulfill", json={"state": "SUCCESS"}), "POST",
                   "/purchases/{purchase_id}/fulfill")
    check_purchase(sj.post(f"/purchases/{second}/fulfill", json={"state": "FAILED"}), "POST",
                   "/purchases/{purchase_id}/fulfill")
    sj.delete(f"/promo-code-pools/{pool}")
    assert sj.get(f"/promo-code-pools/{pool}/offers").status_code == 404
