"""Seeded records of the Shop, Certificates, Content Metadata, Integrations, Notifications, Search,
User Feedback groups: a few stores with their products, lists, offers and past checkouts; certificate
templates and certificates issued to learners; metadata fields, tag sets and tags; integrations;
notification groups, a past notification with its job and the emails the portal sent; the filters
Search takes; flags and tip suggestions from learners. Content made by the earlier parts (courses,
collections, exams, questions) is linked where those types exist in the spec and have rows."""

from __future__ import annotations

from mockserver.clock import isoformat, parse
from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules import certificates, checkout_sessions

PRODUCTS = (
    ("GCSE Maths Complete", "course"), ("A-Level Chemistry Revision", "course"), ("Biology Question Bank", "collection"),
    ("Mock Exam Pack: Physics", "exam"), ("English Literature Essentials", "course"), ("Exam Season Bundle", "bundle"),
    ("History Flashcards", "collection"), ("Unlimited Practice (annual)", "subscription"),
    ("Computer Science Past Papers", "exam"), ("French Vocabulary Builder", "collection"),
)
CONTENT_TYPES = {"course": "Course", "collection": "Collection", "exam": "Exam-V-2", "bundle": "Collection"}
FLAGGABLE = ("QuizQuestionSingleCorrect", "Content", "Quiz", "Course", "Product")  # the first kind that has rows


def _existing(store, registry, type_name: str) -> list[dict]:
    """Rows of another part's type, if that type is in the spec (an earlier part seeded it)."""
    rt = registry.get(type_name)
    return store.rows(rt.table) if rt is not None else []


def _shop(w, ctx, world) -> dict:
    rng = ctx.rng
    stores = {
        "shop": w.add("PortalStore", {"name": "Demo Academy Shop", "description": "Courses and exam packs",
                                      "slug": "shop", "currency": "GBP", "termsUrl": "https://demo-academy.synap.example/terms"}),
        "schools": w.add("PortalStore", {"name": "Schools Store", "slug": "schools", "currency": "GBP",
                                         "description": "Licences for partner schools"},
                         {"subPortal": ident("SubPortal", world.sub_portals[0])}),
        "us": w.add("PortalStore", {"name": "US Store", "slug": "us", "currency": "USD", "taxInclusive": False}),
        "summer": w.add("PortalStore", {"name": "Summer Pop-up", "slug": "summer", "currency": "GBP", "isEnabled": False},
                        {"subPortal": ident("SubPortal", world.sub_portals[2])}),
    }
    products = []
    for n in range(max(len(PRODUCTS), ctx.rows // 30)):
        name, kind = PRODUCTS[n] if n < len(PRODUCTS) else (f"{ctx.faker.catch_phrase()} course", "course")
        content = _existing(w.store, w.registry, CONTENT_TYPES.get(kind, "Course"))
        currency = "USD" if n % 7 == 3 else "GBP"
        products.append(w.add("Product", {
            "name": name, "description": ctx.faker.sentence(nb_words=10), "productType": kind,
            "price": 0 if n == 9 else rng.randrange(900, 12900, 100), "currency": currency,
            "isActive": n != 6, "sku": f"SKU-{1000 + n}", "imageUrl": f"https://demo-academy.synap.example/products/{n + 1}.png",
        }, {"content": ident(CONTENT_TYPES.get(kind, "Course"), rng.choice(content)) if content else None}))
    gbp = [p for p in products if p["attributes"]["currency"] == "GBP" and p["attributes"]["isActive"]]
    usd = [p for p in products if p["attributes"]["currency"] == "USD" and p["attributes"]["isActive"]]
    for position, (name, store, shelf) in enumerate((("Featured", "shop", gbp[:4]), ("Exam Prep", "shop", gbp[2:6]),
                                                     ("Schools Bundle", "schools", gbp[4:7]), ("US Catalogue", "us", usd))):
        w.add("ProductList", {"name": name, "description": f"{name} in the {stores[store]['attributes']['name']}",
                              "position": position + 1},
              {"portalStore": ident("PortalStore", stores[store]), "products": [ident("Product", p) for p in shelf]})
    offers = [
        w.add("StoreOffer", {"name": "Back to school", "discountPercent": 20, "startsAt": ctx.timestamp(-60, -30), "endsAt": None,
                             "description": "20% off while it lasts"},
              {"product": ident("Product", gbp[0]), "portalStore": ident("PortalStore", stores["shop"])}),
        w.add("StoreOffer", {"name": "Spring sale", "discountPercent": 35, "startsAt": ctx.timestamp(-120, -110),
                             "endsAt": ctx.timestamp(-100, -90)},
              {"product": ident("Product", gbp[1]), "portalStore": ident("PortalStore", stores["shop"])}),
        w.add("StoreOffer", {"name": "Schools launch", "discountPercent": 50, "startsAt": ctx.timestamp(-20, -10),
                             "endsAt": ctx.timestamp(400, 500)},
              {"product": ident("Product", gbp[4]), "portalStore": ident("PortalStore", stores["schools"])}),
    ]
    for n, learner in enumerate(world.learners[:4]):
        w.add("LegacyAccessUpgradeOption", {
            "name": f"Upgrade to {gbp[n]['attributes']['name']}", "legacyAccess": ("lifetime-2019", "annual-2021")[n % 2],
            "upgradePrice": gbp[n]["attributes"]["price"] // 2, "currency": "GBP", "isAvailable": n != 3,
            "description": "Keep your legacy access and add the new edition"},
            {"user": ident("User", learner), "product": ident("Product", gbp[n])})
    for n, learner in enumerate(world.learners[4:10]):
        bought = rng.sample(gbp, 2)
        status = ("complete", "complete", "cancelled", "open")[n % 4]
        created = ctx.timestamp(-150, -20)
        subtotal = sum(p["attributes"]["price"] for p in bought)
        email = learner["attributes"]["emailAddress"]
        w.add("CheckoutSession", {
            "currency": "GBP", "customerEmail": email, "successUrl": "https://demo-academy.synap.example/thanks",
            "cancelUrl": "https://demo-academy.synap.example/shop", "url": f"https://checkout.synap.example/seed/{n}",
            "expiresAt": isoformat(parse(created) + checkout_sessions.TTL),
            "completedAt": created if status == "complete" else None, "cancelledAt": created if status == "cancelled" else None,
        }, {"user": ident("User", learner), "products": [ident("Product", p) for p in bought],
            "portalStore": ident("PortalStore", stores["shop"])}, created,
            _status=status, _amounts={"amountSubtotal": subtotal, "amountDiscount": 0, "amountTotal": subtotal}
            if status == "complete" else None)
    return {"products": products, "offers": offers}


def _certificates(w, ctx, world) -> None:
    templates = [
        w.add("Template", {"name": "Classic", "description": "Serif type on a cream border", "isDefault": True,
                           "backgroundUrl": "https://files.synap.example/templates/classic.png"}),
        w.add("Template", {"name": "Modern", "description": "Clean sans-serif with the portal logo",
                           "backgroundUrl": "https://files.synap.example/templates/modern.png"}),
        w.add("Template", {"name": "Portrait Award", "orientation": "portrait", "backgroundUrl": None}),
    ]
    sources = _existing(w.store, w.registry, "Course")
    for n, learner in enumerate(world.learners[:8]):
        issued_at = ctx.timestamp(-300, -5)
        w.add("Certificate", {
            "title": ("Certificate of Completion", "Certificate of Achievement")[n % 2], "isPublic": n % 3 == 0,
            "expiresAt": ctx.timestamp(-4, -1) if n == 5 else (ctx.timestamp(365, 730) if n % 2 else None),
            "score": round(ctx.rng.uniform(55, 100), 1) if n % 2 else None,
            **certificates.issued(w.store, learner, issued_at),
        }, {"user": ident("User", learner), "template": ident("Template", templates[n % 3]),
            "issuedBy": ident("User", world.admin),
            "source": ident("Course", sources[n % len(sources)]) if sources else None}, issued_at)


def _metadata(w, ctx, world, shop: dict) -> None:
    for position, (name, key, kind, options, public, facet) in enumerate((
        ("Subject", "subject", "select", ["Maths", "Sciences", "English", "History", "Languages"], True, True),
        ("Level", "level", "select", ["GCSE", "A-Level", "University"], True, True),
        ("Duration (minutes)", "durationMinutes", "number", None, True, False),
        ("Exam board", "examBoard", "multiSelect", ["AQA", "Edexcel", "OCR", "WJEC"], False, True),
        ("Accredited", "isAccredited", "boolean", None, False, False),
        ("Internal notes", "internalNotes", "text", None, False, False),
    )):
        w.add("AttributeConfig", {"name": name, "key": key, "dataType": kind, "options": options, "isPublic": public,
                                  "isFilterable": facet, "position": position + 1, "appliesTo": None,
                                  "description": f"{name} of a course or collection"})
    sets = {name: w.add("TagSet", {"name": name, "description": f"{name} tags", "color": color})
            for name, color in (("Subjects", "#1F6FEB"), ("Difficulty", "#D29922"), ("Exam boards", "#8250DF"))}
    tags = [w.add("Tag", {"name": name, "color": "#%06X" % ctx.rng.randrange(0x1000000), "description": None},
                  {"tagSet": ident("TagSet", sets[set_name]) if set_name else None})
            for set_name, names in (("Subjects", ("Algebra", "Organic chemistry", "Shakespeare", "World War II")),
                                    ("Difficulty", ("Foundation", "Higher", "Stretch")), ("Exam boards", ("AQA", "OCR")),
                                    (None, ("Revision",)))
            for name in names]
    table_name = table("Product")
    for product in shop["products"]:
        product = w.store.get(table_name, product["id"])
        chosen = ctx.rng.sample(tags, 2)
        w.store.update(table_name, product["id"], {"relationships": {**product["relationships"],
                                                                "tags": [ident("Tag", t) for t in chosen]}})
    source = shop["products"][0]
    copy = w.add("Product", {**source["attributes"], "name": f"Copy of {source['attributes']['name']}", "isActive": False},
                 source["relationships"])
    started = ctx.timestamp(-30, -20)
    w.add("CloneJob", {"name": copy["attributes"]["name"]}, {"source": ident("Product", source),
                                                             "createdBy": ident("User", world.admin)}, started,
          _startedAt=started, _clone=ident("Product", copy))


def _integrations(w, world) -> None:
    for name, provider, attrs, secrets in (
        ("Moodle LTI 1.3", "lti", {"clientId": "synap-lti-4410", "settings": {"issuer": "https://moodle.example.edu"}},
         {"clientSecret": "seeded-lti-secret"}),
        ("Zoom classes", "zoom", {"settings": {"accountId": "zoom-demo"}}, {"apiKey": "seeded-zoom-key"}),
        ("Staff SSO", "saml", {"isEnabled": False, "settings": {"entityId": "https://idp.example.org"}}, {}),
    ):
        w.add("Integration", {"name": name, "provider": provider, "clientId": None, **attrs},
              {"createdBy": ident("User", world.admin)}, _secrets=secrets)


def _notifications(w, ctx, world) -> None:
    groups = {key: w.add("NotificationGroup", {"name": name, "key": key, "isMandatory": mandatory, "channels": channels,
                                               "description": text})
              for name, key, mandatory, channels, text in (
                  ("Announcements", "announcements", False, ["email", "inApp"], "News from the portal"),
                  ("Assignments", "assignments", False, ["email", "inApp"], "New and due assignments"),
                  ("Results", "results", False, ["email"], "Marks and feedback"),
                  ("Account", "account", True, ["email"], "Sign-in, security and billing (always sent)"),
                  ("Offers", "offers", False, ["email"], "Sales and new products"))}
    sent = ctx.timestamp(-40, -35)
    cohort = world.groups["Year 10"]
    note = w.add("GenericNotification", {
        "subject": "Mock exams next week", "message": "Mock exams start on Monday. Good luck!", "channels": ["email", "inApp"],
        "actionUrl": "https://demo-academy.synap.example/exams", "recipientCount": 0, "skippedCount": 0},
        {"userGroups": [ident("UserGroup", cohort)], "notificationGroup": ident("NotificationGroup", groups["announcements"]),
         "sender": ident("User", world.admin)}, sent, _emailTo=[])
    members = [u for u in world.learners if any(g["id"] == cohort["id"] for g in u["relationships"]["userGroups"])]
    job = w.add("BackgroundJob", {"jobType": "notification", "description": note["attributes"]["subject"],
                                  "itemCount": len(members)},
                {"subject": ident("GenericNotification", note), "createdBy": ident("User", world.admin)}, sent,
                _startedAt=sent, _fileName=f"notification-{note['id']}-report.csv")
    w.store.update(table("GenericNotification"), note["id"], {
        "attributes": {**note["attributes"], "recipientCount": len(members)},
        "relationships": {**note["relationships"], "backgroundJob": ident("BackgroundJob", job)}})
    for n, user in enumerate(members[:5]):
        email = user["attributes"]["emailAddress"]
        w.add("TransactionalEmail", {"toAddress": email, "subject": "Mock exams next week", "kind": "GenericNotification",
                                     "body": note["attributes"]["message"], "status": "sent", "sentAt": sent},
              {"user": ident("User", user)}, sent, _message=f"seed:{n}")
    export = w.add("BackgroundJob", {"jobType": "export", "description": "Learner progress export", "itemCount": 120},
                   {"subject": None, "createdBy": ident("User", world.staff)}, ctx.timestamp(-10, -9))
    w.store.update(table("BackgroundJob"), export["id"], {"_startedAt": export["attributes"]["createdAt"]})


def _search_filters(w) -> None:
    primary = sorted(name for name in w.registry.types if "Public" not in name)
    for position, (key, label, kind, options, enabled) in enumerate((
        ("type", "Type", "type", primary, True),
        ("tags", "Tags", "id", None, True),
        ("subPortal", "Sub-portal", "id", None, True),
        ("locale", "Language", "text", None, True),
        ("timeZone", "Time zone", "text", None, False),
    )):
        w.add("SearchFilterConfig", {"key": key, "label": label, "dataType": kind, "options": options, "isEnabled": enabled,
                                     "position": position + 1, "description": f"filter[{key}] of Search"})


def _feedback(w, ctx, world, shop: dict) -> None:
    subjects = []
    for type_name in FLAGGABLE:
        # quiz questions share one table: each is named by its own kind (its questionType)
        subjects = [ident(r["attributes"].get("questionType") or type_name, r) for r in _existing(w.store, w.registry, type_name)[:6]]
        if subjects:
            break
    reasons = ("incorrect", "unclear", "typo", "broken", "other")
    for n, learner in enumerate(world.learners[:7]):
        status = ("open", "open", "resolved", "dismissed")[n % 4]
        created = ctx.timestamp(-90, -2)
        closed = status != "open"
        w.add("Flag", {"reason": reasons[n % len(reasons)], "comment": ctx.faker.sentence(nb_words=12), "status": status,
                       "resolution": "Fixed in the latest version, thank you." if status == "resolved" else None,
                       "resolvedAt": created if closed else None},
              {"user": ident("User", learner), "subject": subjects[n % len(subjects)]}, created,
              _resolvedBy=world.staff["id"] if closed else None)
    w.add("FlagExport", {"statuses": ["open"], "rowCount": 4}, {"createdBy": ident("User", world.admin)},
          ctx.timestamp(-5, -4), _fileName="flags-seed.csv")
    for n, learner in enumerate(world.learners[2:6]):
        w.add("TipSuggestion", {"text": ctx.faker.sentence(nb_words=14), "status": ("pending", "accepted", "rejected", "pending")[n]},
              {"user": ident("User", learner), "subject": subjects[(n + 1) % len(subjects)]}, ctx.timestamp(-60, -1))


def seed(store, ctx, world) -> None:
    w = world.writer
    shop = _shop(w, ctx, world)
    _certificates(w, ctx, world)
    _metadata(w, ctx, world, shop)
    _integrations(w, world)
    _notifications(w, ctx, world)
    _search_filters(w)
    _feedback(w, ctx, world, shop)
