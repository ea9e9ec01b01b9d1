"""Synap Shop and Certificates: checkout sessions through their lifecycle on the sandbox clock, product
lists' Add/Remove Products, what deleting a product or store may not break, offers, certificates."""

from __future__ import annotations

import re

from synap_helpers import body, errors, everything, many, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}
NOON = "2026-06-01T12:00:00Z"


def listed(client, path: str, headers: dict, **params) -> list[dict]:
    return ok(client.get(path, params={"limit": 1000, "offset": 0, **params}, headers=headers))["data"]


def named(client, path: str, name: str, key: str = "name") -> dict:
    return next(r for r in everything(client, path) if r["attributes"][key] == name)


def product(synap, name: str, price: int, currency: str = "GBP", **attrs) -> dict:
    return ok(synap.post("/products", json=body("Product", {"name": name, "price": price, "currency": currency, **attrs})), 201)["data"]


def checkout(client, *products, status: int = 201, **relationships) -> dict:
    rels = {"products": many("Product", *[p["id"] for p in products]), **relationships}
    response = client.post("/checkout-sessions", json=body("CheckoutSession", {"successUrl": "https://example.org/ok"}, rels))
    return ok(response, status)["data"] if status < 400 else response


def patch_session(client, session_id: str, attributes: dict | None = None, relationships: dict | None = None):
    return client.patch(f"/checkout-sessions/{session_id}", json=body("CheckoutSession", attributes, relationships, id=session_id))


def me(synap, headers=None) -> dict:
    """The caller's user (PATs do not say whose they are, so find it by the fixture's address)."""
    email = "marker@demo-academy.synap.example" if headers else "admin@demo-academy.synap.example"
    return everything(synap, "/users", **{"filter[emailAddress]": email})[0]


# -- checkout sessions -------------------------------------------------------------------------------------


def test_completing_a_checkout_freezes_its_amounts_applies_the_offer_and_emails_a_receipt(synap, fresh):
    fresh.clock(now=NOON, frozen=True)
    shop = named(synap, "/portal-stores", "Demo Academy Shop")
    offer_product = product(synap, "Offer course", 5000)
    other = product(synap, "Plain course", 2500)
    staff = me(synap, STAFF)
    session = checkout(synap, offer_product, other, portalStore=one("PortalStore", shop["id"]), user=one("User", staff["id"]))
    attrs = session["attributes"]
    assert (attrs["status"], attrs["paymentStatus"], attrs["currency"]) == ("open", "unpaid", "GBP")
    assert (attrs["amountSubtotal"], attrs["amountDiscount"], attrs["amountTotal"]) == (7500, 0, 7500)
    assert attrs["expiresAt"] == "2026-06-02T12:00:00Z" and attrs["customerEmail"] == staff["attributes"]["emailAddress"]
    assert attrs["url"].endswith(session["id"])

    # While open, the amounts follow the products' prices.
    ok(synap.patch(f"/products/{other['id']}", json=body("Product", {"price": 3000}, id=other["id"])))
    assert ok(synap.get(f"/checkout-sessions/{session['id']}", headers=STAFF))["data"]["attributes"]["amountTotal"] == 8000

    fresh.advance_clock(600)
    done = ok(patch_session(synap, session["id"], {"status": "complete"}))["data"]["attributes"]
    assert (done["status"], done["paymentStatus"], done["completedAt"]) == ("complete", "paid", "2026-06-01T12:10:00Z")
    receipt = fresh.outbox(to=staff["attributes"]["emailAddress"], kind="CheckoutReceipt")
    assert len(receipt) == 1 and receipt[0]["data"]["amountTotal"] == 8000 and receipt[0]["data"]["id"] == session["id"]

    # Completed: the amounts no longer move, nothing changes any more, and it never expires.
    ok(synap.patch(f"/products/{other['id']}", json=body("Product", {"price": 9900}, id=other["id"])))
    fresh.advance_clock(3 * 86400)
    again = ok(synap.get(f"/checkout-sessions/{session['id']}"))["data"]["attributes"]
    assert (again["status"], again["amountTotal"]) == ("complete", 8000)
    errors(patch_session(synap, session["id"], {"status": "cancelled"}), 409)
    errors(patch_session(synap, session["id"], {"successUrl": "https://example.org/other"}), 409)


def test_an_active_store_offer_discounts_its_product_and_an_ended_one_is_refused(synap, fresh):
    fresh.clock(now=NOON, frozen=True)
    launch = named(synap, "/product-lists", "Schools Bundle")  # the seeded shelf of the schools store
    schools = named(synap, "/portal-stores", "Schools Store")
    active, ended = offer(synap, "Schools launch"), offer(synap, "Spring sale")
    target = ok(synap.get(f"/products/{active['relationships']['product']['data']['id']}"))["data"]
    assert active["attributes"]["isActive"] is True and ended["attributes"]["isActive"] is False
    assert active["attributes"]["price"] == target["attributes"]["price"] - target["attributes"]["price"] * 50 // 100
    assert launch["relationships"]["portalStore"]["data"]["id"] == schools["id"]

    session = checkout(synap, target, storeOffer=one("StoreOffer", active["id"]))
    money = session["attributes"]
    assert money["amountDiscount"] == target["attributes"]["price"] // 2
    assert money["amountTotal"] == money["amountSubtotal"] - money["amountDiscount"] == active["attributes"]["price"]

    ended_target = ok(synap.get(f"/products/{ended['relationships']['product']['data']['id']}"))["data"]
    errs = errors(checkout(synap, ended_target, status=400, storeOffer=one("StoreOffer", ended["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/storeOffer"}
    errs = errors(checkout(synap, ended_target, status=400, storeOffer=one("StoreOffer", active["id"])), 400)
    assert "not in this session" in errs[0]["detail"]

    fresh.clock(now="2028-01-01T00:00:00Z", frozen=True)  # past the launch offer's end
    assert ok(synap.get(f"/store-offers/{active['id']}"))["data"]["attributes"]["isActive"] is False
    assert ok(synap.get(f"/checkout-sessions/{session['id']}"))["data"]["attributes"]["status"] == "expired"


def offer(synap, name: str) -> dict:
    """Store offers have no list operation: find the seeded one by Search, then read it."""
    found = ok(synap.get("/search", params={"query": name, "filter[type]": "StoreOffer", "limit": 1, "offset": 0}))["data"]
    return ok(synap.get(f"/store-offers/{found[0]['id']}"))["data"]


def test_open_sessions_expire_on_the_sandbox_clock_and_can_be_cancelled(synap, fresh):
    fresh.clock(now=NOON, frozen=True)
    course = product(synap, "Timed course", 1200)
    first = checkout(synap, course)
    fresh.advance_clock(24 * 3600 - 1)
    assert ok(synap.get(f"/checkout-sessions/{first['id']}"))["data"]["attributes"]["status"] == "open"
    fresh.advance_clock(1)
    assert ok(synap.get(f"/checkout-sessions/{first['id']}"))["data"]["attributes"]["status"] == "expired"
    errs = errors(patch_session(synap, first["id"], {"status": "complete"}), 409)
    assert "expired" in errs[0]["detail"]

    second = checkout(synap, course)
    errs = errors(patch_session(synap, second["id"], {"status": "expired"}), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/status"}
    cancelled = ok(patch_session(synap, second["id"], {"status": "cancelled"}))["data"]["attributes"]
    assert (cancelled["status"], cancelled["cancelledAt"], cancelled["paymentStatus"]) == ("cancelled", fresh.clock()["now"], "unpaid")
    errors(patch_session(synap, second["id"], {"status": "complete"}), 409)


def test_a_free_checkout_needs_no_payment_and_products_can_change_while_open(synap, fresh):
    free = product(synap, "Free taster", 0)
    paid = product(synap, "Paid course", 4200)
    session = checkout(synap, paid)
    changed = ok(patch_session(synap, session["id"], relationships={"products": many("Product", free["id"])}))["data"]
    assert changed["attributes"]["amountTotal"] == 0
    assert changed["relationships"]["products"]["data"] == [{"type": "Product", "id": free["id"]}]
    done = ok(patch_session(synap, session["id"], {"status": "complete"}))["data"]["attributes"]
    assert (done["status"], done["paymentStatus"]) == ("complete", "no_payment_required")


def test_checkout_refuses_what_cannot_be_sold(synap):
    gbp, usd = product(synap, "Pounds", 1000), product(synap, "Dollars", 1000, "USD")
    retired = product(synap, "Retired", 1000, isActive=False)
    errs = errors(checkout(synap, status=400), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/products"}
    errs = errors(checkout(synap, retired, status=400), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/products/data/0"}
    errors(checkout(synap, gbp, usd, status=400), 400)
    summer = named(synap, "/portal-stores", "Summer Pop-up")  # seeded disabled
    errs = errors(checkout(synap, gbp, status=400, portalStore=one("PortalStore", summer["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/portalStore"} and "closed" in errs[0]["detail"]
    us = named(synap, "/portal-stores", "US Store")
    errors(checkout(synap, gbp, status=400, portalStore=one("PortalStore", us["id"])), 400)
    errors(checkout(synap, status=404, products=many("Product", "nope")), 404)


def test_users_buy_for_themselves_and_see_only_their_own_sessions(synap):
    course = product(synap, "Shared course", 1500)
    admin_session = checkout(synap, course)
    mine = ok(synap.post("/checkout-sessions", headers=STAFF, json=body(
        "CheckoutSession", {}, {"products": many("Product", course["id"])})), 201)["data"]
    staff = me(synap, STAFF)
    assert mine["relationships"]["user"]["data"] == {"type": "User", "id": staff["id"]}
    errors(synap.get(f"/checkout-sessions/{admin_session['id']}", headers=STAFF), 404)
    errors(synap.patch(f"/checkout-sessions/{admin_session['id']}", headers=STAFF,
                       json=body("CheckoutSession", {"status": "cancelled"}, id=admin_session["id"])), 404)
    errors(synap.post("/checkout-sessions", headers=STAFF, json=body("CheckoutSession", {}, {
        "products": many("Product", course["id"]), "user": one("User", me(synap)["id"])})), 403)
    errs = errors(patch_session(synap, mine["id"], relationships={"user": one("User", me(synap)["id"])}), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/user"}
    assert ok(synap.patch(f"/checkout-sessions/{mine['id']}", headers=STAFF, json=body(
        "CheckoutSession", {"status": "complete"}, id=mine["id"])))["data"]["attributes"]["status"] == "complete"


# -- product lists, products, stores -----------------------------------------------------------------------


def test_add_and_remove_products_change_a_lists_shelf(synap):
    shop = named(synap, "/portal-stores", "Demo Academy Shop")
    a, b, c = (product(synap, name, 1000) for name in ("A", "B", "C"))
    shelf = ok(synap.post("/product-lists", json=body("ProductList", {"name": "New in"}, {
        "portalStore": one("PortalStore", shop["id"]), "products": many("Product", a["id"])})), 201)["data"]
    url = f"/product-lists/{shelf['id']}/relationships/products"
    linked = ok(synap.post(url, json=many("Product", b["id"], a["id"], c["id"])))["data"]
    assert [i["id"] for i in linked] == [a["id"], b["id"], c["id"]]  # a stays where it was, once
    assert ok(synap.get(f"/product-lists/{shelf['id']}"))["data"]["attributes"]["totalProducts"] == 3
    assert [i["id"] for i in ok(synap.delete(url, json=many("Product", b["id"])))["data"]] == [a["id"], c["id"]]
    ok(synap.get(f"/products/{b['id']}"))  # removed from the shelf, not deleted

    errs = errors(synap.post(url, json=many("Product", product(synap, "Dollar", 100, "USD")["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data"} and "GBP" in errs[0]["detail"]
    errors(synap.post(url, json=many("Product", product(synap, "Gone", 100, isActive=False)["id"])), 400)
    errors(synap.post(url, json=many("Product", b["id"]), headers=STAFF), 403)
    errs = errors(synap.post("/product-lists", json=body("ProductList", {"name": "Mixed"}, {
        "portalStore": one("PortalStore", shop["id"]), "products": many("Product", a["id"], product(synap, "Euro", 5, "EUR")["id"])})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/products/data/1"}
    included = ok(synap.get(f"/product-lists/{shelf['id']}", params={"include": "products,portalStore"}))["included"]
    assert {(r["type"], r["id"]) for r in included} == {("Product", a["id"]), ("Product", c["id"]), ("PortalStore", shop["id"])}


def test_products_and_stores_in_an_open_checkout_cannot_go_and_deleting_them_unlinks_them(synap):
    shop = ok(synap.post("/portal-stores", json=body("PortalStore", {"name": "Pop", "slug": "pop"})), 201)["data"]
    errs = errors(synap.post("/portal-stores", json=body("PortalStore", {"name": "Pop again", "slug": "pop"})), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/slug"}
    course = product(synap, "Busy course", 900)
    shelf = ok(synap.post("/product-lists", json=body("ProductList", {"name": "Busy"}, {
        "portalStore": one("PortalStore", shop["id"]), "products": many("Product", course["id"])})), 201)["data"]
    assert ok(synap.get(f"/portal-stores/{shop['id']}"))["data"]["attributes"]["totalProductLists"] == 1
    session = checkout(synap, course, portalStore=one("PortalStore", shop["id"]))
    errors(synap.delete(f"/products/{course['id']}"), 409)
    errors(synap.patch(f"/products/{course['id']}", json=body("Product", {"isActive": False}, id=course["id"])), 409)
    errors(synap.delete(f"/portal-stores/{shop['id']}"), 409)
    errors(synap.delete(f"/products/{course['id']}", headers=STAFF), 403)

    ok(patch_session(synap, session["id"], {"status": "cancelled"}))
    assert synap.delete(f"/portal-stores/{shop['id']}").status_code == 204
    assert ok(synap.get(f"/product-lists/{shelf['id']}"))["data"]["relationships"]["portalStore"]["data"] is None
    assert synap.delete(f"/products/{course['id']}").status_code == 204
    assert ok(synap.get(f"/product-lists/{shelf['id']}"))["data"]["relationships"]["products"]["data"] == []
    errors(synap.get(f"/products/{course['id']}"), 404)


def test_legacy_upgrade_options_are_seen_by_admins_and_by_their_own_user_only(synap):
    options = everything(synap, "/legacy-access-upgrade-options")
    assert len(options) == 4 and all(o["relationships"]["user"]["data"]["type"] == "User" for o in options)
    assert listed(synap, "/legacy-access-upgrade-options", STAFF) == []
    available = everything(synap, "/legacy-access-upgrade-options", **{"filter[isAvailable]": "true"})
    assert len(available) == 3


# -- certificates ---------------------------------------------------------------------------------------------


def test_issuing_a_certificate_stamps_it_emails_it_and_the_user_sees_their_own(synap, fresh):
    fresh.clock(now=NOON, frozen=True)
    staff, admin = me(synap, STAFF), me(synap)
    course = ok(synap.post("/courses", json=body("Course", {"title": "Certified course"})), 201)["data"]
    made = ok(synap.post("/certificates", json=body("Certificate", {"score": 91.5}, {
        "user": one("User", staff["id"]), "source": one("Course", course["id"])})), 201)["data"]
    attrs = made["attributes"]
    classic = named(synap, "/templates", "Classic")
    assert classic["attributes"]["isDefault"] is True
    assert made["relationships"]["template"]["data"] == {"type": "Template", "id": classic["id"]}
    assert made["relationships"]["issuedBy"]["data"] == {"type": "User", "id": admin["id"]}
    assert (attrs["title"], attrs["recipientName"], attrs["issuedAt"]) == ("Certificate of Completion", "Sam Marker", NOON)
    assert re.fullmatch(r"SYN-2026-\d{6}", attrs["certificateNumber"])
    assert attrs["verificationUrl"].endswith(attrs["certificateNumber"]) and attrs["isPublic"] is False
    mail = fresh.outbox(to=staff["attributes"]["emailAddress"], kind="Certificate")
    assert mail[0]["data"]["certificateNumber"] == attrs["certificateNumber"]

    errors(synap.post("/certificates", json=body("Certificate", {}, {
        "user": one("User", staff["id"]), "source": one("Course", course["id"])})), 409)
    errs = errors(synap.post("/certificates", json=body("Certificate", {}, {  # a certificate is for what was completed
        "user": one("User", staff["id"]), "source": one("Product", product(synap, "Not completable", 100)["id"])})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/source/data/type"}
    assert [c["id"] for c in listed(synap, "/certificates", STAFF)] == [made["id"]]
    someone_else = next(c for c in everything(synap, "/certificates") if c["id"] != made["id"])
    errors(synap.get(f"/certificates/{someone_else['id']}", headers=STAFF), 404)
    ok(synap.get(f"/certificates/{made['id']}", headers=STAFF))
    errors(synap.post("/certificates", headers=STAFF, json=body("Certificate", {}, {"user": one("User", staff["id"])})), 403)
    errs = errors(synap.post("/certificates", json=body("Certificate", {}, {"user": {"data": None}})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/user"}


def test_public_certificates_list_only_the_public_ones_and_expiry_follows_the_clock(synap, fresh):
    fresh.clock(now=NOON, frozen=True)
    staff = me(synap, STAFF)
    before = everything(synap, "/public-certificates")
    assert before and all(set(c["attributes"]) == {"title", "recipientName", "certificateNumber", "issuedAt", "expiresAt",
                                                     "isExpired", "verificationUrl"} for c in before)
    made = ok(synap.post("/certificates", json=body("Certificate", {"isPublic": True, "title": "Award",
                                                                    "expiresAt": "2026-07-01T00:00:00Z"},
                                                    {"user": one("User", staff["id"])})), 201)["data"]
    public = {c["id"]: c for c in listed(synap, "/public-certificates", STAFF)}
    assert len(public) == len(before) + 1 and public[made["id"]]["attributes"]["isExpired"] is False
    assert all(c["type"] == "PublicCertificate" for c in public.values())
    fresh.clock(now="2026-07-01T00:00:00Z", frozen=True)
    assert ok(synap.get(f"/certificates/{made['id']}"))["data"]["attributes"]["isExpired"] is True
    expired = everything(synap, "/public-certificates", **{"filter[isExpired]": "true"})
    assert made["id"] in [c["id"] for c in expired]
    errs = errors(synap.post("/certificates", json=body("Certificate", {"expiresAt": "2026-01-01T00:00:00Z"},
                                                        {"user": one("User", staff["id"])})), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/expiresAt"}
