"""Seeded records of the Authentication, Users, User Groups, Access Policies, Billing groups: sign-in
options, Zapier keys, MFA, sessions and tokens, bots, users' documents, exam sittings, learning
records and consents, invites, group join links, access policies and the portal's billing."""

from __future__ import annotations

from mockserver.vendors.synap.ids import secret
from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules import access_policies, user_group_links
from mockserver.vendors.synap.rules.users import password_hash

FAR = (3000, 3650)  # expiries that stay in the future for years (days from the seed's epoch)
LEARNING = ["Safeguarding refresher", "First aid at work", "Data protection essentials", "Excel for analysts",
            "Leading effective meetings", "Conference: assessment design", "Webinar: feedback that works",
            "Mentoring new staff", "Fire marshal training", "Accessibility in e-learning"]
PROVIDERS = ["CPD Online", "Red Cross", "LinkedIn Learning", "Open University", None]


def seed(store, ctx, world) -> None:
    w, rng = world.writer, ctx.rng
    admin, staff, learners, groups = world.admin, world.staff, world.learners, world.groups
    user = lambda record: ident("User", record)  # noqa: E731
    later = lambda: ctx.timestamp(*FAR)  # noqa: E731

    # -- Authentication: sign-in options (one table), Zapier keys, MFA, sessions, tokens, bots ---------
    options = {"autoRegister": False, "buttonLabel": None}
    w.add("LocalAuthenticationOption", {**options, "provider": "local", "name": "Email and password", "enabled": True,
                                        "allowSelfRegistration": True, "passwordMinLength": 8, "requireEmailVerification": True},
          {"defaultUserGroup": ident("UserGroup", groups["Students"])})
    w.add("SAMLAuthenticationOption", {**options, "provider": "saml", "name": "Okta (staff)", "enabled": True,
                                       "buttonLabel": "Sign in with Okta", "entityId": "http://www.okta.com/exk1demo",
                                       "ssoUrl": "https://demo.okta.example/app/synap/sso/saml",
                                       "certificate": "-----BEGIN CERTIFICATE-----\nMIIDemo\n-----END CERTIFICATE-----",
                                       "signRequests": False, "attributeMapping": {"emailAddress": "email", "name": "displayName"}},
          {"defaultUserGroup": ident("UserGroup", groups["Staff"])})
    w.add("LTI13AuthenticationOption", {**options, "provider": "lti13", "name": "Moodle (schools)", "enabled": True,
                                        "autoRegister": True, "issuer": "https://moodle.schools.example",
                                        "clientId": "synap-demo", "deploymentId": "1",
                                        "authLoginUrl": "https://moodle.schools.example/mod/lti/auth.php",
                                        "keySetUrl": "https://moodle.schools.example/mod/lti/certs.php",
                                        "accessTokenUrl": "https://moodle.schools.example/mod/lti/token.php"},
          {"defaultUserGroup": ident("UserGroup", groups["Students"])})
    w.add("ADFSAuthenticationOption", {**options, "provider": "adfs", "name": "Corporate ADFS (trial)", "enabled": False,
                                       "metadataUrl": "https://adfs.corp.example/FederationMetadata/2007-06/FederationMetadata.xml",
                                       "relyingPartyIdentifier": "urn:synap:demo", "signInUrl": None})
    w.add("JWTAuthenticationOption", {**options, "provider": "jwt", "name": "Legacy intranet", "enabled": False,
                                      "remoteLoginUrl": "https://intranet.demo.example/synap-login", "remoteLogoutUrl": None,
                                      "algorithm": "HS256", "sharedSecret": secret(store, "seed.jwt", 32)})

    for label, revoked in (("Zapier: new registrations to CRM", False), ("Zapier: old sheet sync", True)):
        key = f"z:{secret(store, 'zapier', 40)}"
        w.add("ZapierApiKey", {"label": label, "keyPreview": key[-4:], "isRevoked": revoked,
                               "lastUsedAt": ctx.timestamp(-30, -1)}, {"user": user(admin)}, _keyHash=password_hash(key))

    w.add("MfaConfig", {"method": "totp", "status": "active", "activatedAt": ctx.timestamp(-150, -120),
                        "deactivatedAt": None}, {"user": user(staff)}, ctx.timestamp(-160, -150),
          _secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    store.update(table("User"), staff["id"], {"_mfaEnabled": True})

    devices = [("web", "Mozilla/5.0 (Macintosh) Safari/17"), ("app", "SynapApp/5.2 (iOS 18)"),
               ("web", "Mozilla/5.0 (Windows NT 10.0) Chrome/128")]
    for person, count in [(admin, 2), (staff, 1), *[(learner, 1) for learner in learners[:6]]]:
        for client, agent in devices[:count]:
            w.add("UserSession", {"client": client, "userAgent": agent, "ipAddress": ctx.faker.ipv4_public(),
                                  "lastActiveAt": ctx.timestamp(-3, -1), "expiresAt": later()},
                  {"user": user(person)}, ctx.timestamp(-20, -3))

    bots = [w.add("BotUser", {"name": name, "description": text, "isActive": active, "lastSessionAt": None},
                  {"owner": user(admin), "userGroups": [ident("UserGroup", groups[g]) for g in gs]})
            for name, text, active, gs in (("Reporting bot", "Nightly reporting exports", True, ["Staff"]),
                                           ("Old import bot", "Retired CSV import", False, ["Students"]))]
    old = w.add("Token", {"purpose": "bot-session", "expiresAt": ctx.timestamp(-10, -9), "revokedAt": None},
                {"subject": ident("BotUser", bots[0])}, ctx.timestamp(-11, -10), _secret=secret(store, "token.bot-session", 48))
    w.add("BotSession", {"expiresAt": old["attributes"]["expiresAt"]},
          {"botUser": ident("BotUser", bots[0]), "token": ident("Token", old)}, old["attributes"]["createdAt"])

    # -- Users: documents, external exam sittings, learning records, consents, invites ---------------
    for n, learner in enumerate(learners[:8]):
        kind = ("certificate", "upload", "receipt", "transcript")[n % 4]
        name = f"{kind}-{learner['attributes']['lastName'].lower()}.pdf"
        w.add("Document", {"name": name, "kind": kind,
                           "file": {"__type": "File", "name": name, "url": f"https://files.synap.example/docs/{name}"}},
              {"user": user(learner)})
    for n, learner in enumerate(learners[:6]):
        sat = n % 3 != 2
        score = rng.randint(40, 95) if sat else None
        w.add("ExternalExamSitting", {"examName": ("GCSE Mathematics", "IELTS Academic", "ACCA Paper F3")[n % 3],
                                      "provider": ("Pearson", "British Council", "ACCA")[n % 3],
                                      "sittingDate": ctx.timestamp(-200, -20), "status": "sat" if sat else "scheduled",
                                      "score": score, "maxScore": 100, "passMark": 60,
                                      "certificateNumber": f"CN-{rng.randint(100000, 999999)}" if sat else None},
              {"user": user(learner), "examV2": None})
    for n in range(10 + ctx.rows // 100):
        owner = (learners + [staff])[n % (len(learners) + 1)] if n % 4 else staff
        done = ctx.timestamp(-180, -2)
        w.add("LearningRecord", {"title": LEARNING[n % len(LEARNING)], "description": None,
                                 "provider": PROVIDERS[n % len(PROVIDERS)], "completedAt": done,
                                 "durationMinutes": rng.choice([30, 45, 60, 90, 120, 240]),
                                 "credits": rng.choice([0.5, 1, 1, 2, 3]), "evidenceUrl": None},
              {"user": user(owner)}, done)
    for learner in learners[:5]:
        w.add("MarketingConsent", {"channel": "email", "source": "signup-form", "consentedAt": learner["attributes"]["createdAt"]},
              {"user": user(learner)}, learner["attributes"]["createdAt"])

    invited = [("pending", None), ("pending", "expired"), ("accepted", None), ("revoked", None), ("pending", None)]
    for n, (status, note) in enumerate(invited):
        first, last = ctx.faker.first_name(), ctx.faker.last_name()
        sent = ctx.timestamp(-60, -20)
        accepted = status == "accepted"
        w.add("Invite", {"emailAddress": f"{first}.{last}.invite{n}@example.org".lower(), "name": f"{first} {last}",
                         "status": status, "sentAt": sent,
                         "expiresAt": ctx.timestamp(-15, -5) if note == "expired" else later(),
                         "acceptedAt": ctx.timestamp(-19, -5) if accepted else None},
              {"userGroup": ident("UserGroup", groups["Year 10" if n % 2 else "Students"]), "invitedBy": user(admin),
               "user": user(learners[-1]) if accepted else None}, sent)

    # -- User Groups: join links ------------------------------------------------------------------
    for name, enabled, max_uses in (("Year 10", True, None), ("Markers", False, 5)):
        setting = w.add("UserGroupLinkSetting", {"enabled": enabled, "expiresAt": None, "maxUses": max_uses,
                                                 "regenerateCode": None}, {"userGroup": ident("UserGroup", groups[name])})
        link = w.add("UserGroupLink", {"code": user_group_links.new_code(store)},
                     {"userGroupLinkSetting": ident("UserGroupLinkSetting", setting)}, setting["attributes"]["createdAt"])
        store.update(table("UserGroupLinkSetting"), setting["id"], {
            "relationships": {**setting["relationships"], "userGroupLink": ident("UserGroupLink", link)}})

    # -- Access policies: a default per kind of content, and a cohort's own --------------------------
    types = {ut["attributes"]["name"]: ut for ut in store.rows(table("UserType"))}
    policies = [
        ("Collections: everyone views", "Collection", ["view"], ["Students"], ["Student"], True),
        ("Courses: everyone views", "Course", ["view"], ["Students"], ["Student"], True),
        ("Exams: staff mark", "Exam-V-2", ["view", "mark"], ["Markers"], ["Staff"], True),
        ("Year 11 revision", "Collection", ["view"], ["Year 11"], [], False),
        ("Authors edit collections", "Collection", ["view", "edit", "manage"], ["Staff"], ["Staff", "Administrator"], False),
    ]
    for name, kind, permissions, group_names, type_names, default in policies:
        record = w.add("AccessPolicy", {"name": name, "description": None, "resourceType": kind,
                                        "permissions": permissions, "isDefault": default},
                       {"userGroups": [ident("UserGroup", groups[g]) for g in group_names],
                        "userTypes": [ident("UserType", types[t]) for t in type_names], "resources": []})
        store.update(table("AccessPolicy"), record["id"], {"_defaults": access_policies.grants(record)})

    # -- Billing: subscriptions and the billing details ------------------------------------------------
    portal = ident("Portal", world.portal)
    w.add("Subscription", {"plan": "Starter", "status": "canceled", "seats": 100, "amount": 1200, "currency": "GBP",
                           "interval": "year", "currentPeriodStart": ctx.timestamp(-700, -690),
                           "currentPeriodEnd": ctx.timestamp(-335, -325), "cancelAtPeriodEnd": True,
                           "canceledAt": ctx.timestamp(-340, -336)}, {"portal": portal}, ctx.timestamp(-700, -690))
    w.add("Subscription", {"plan": "Growth", "status": "active", "seats": 500, "amount": 4800, "currency": "GBP",
                           "interval": "year", "currentPeriodStart": ctx.timestamp(-300, -250),
                           "currentPeriodEnd": later(), "cancelAtPeriodEnd": False, "canceledAt": None},
          {"portal": portal}, ctx.timestamp(-330, -320))
    w.add("BillingInfo", {"companyName": world.portal["attributes"]["name"], "billingEmail": admin["attributes"]["emailAddress"],
                          "currency": "GBP", "taxId": "GB123456789",
                          "address": {"line1": "1 Example Street", "city": "London", "postalCode": "EC1A 1AA", "country": "GB"},
                          "paymentMethod": {"brand": "visa", "last4": "4242", "expMonth": 12, "expYear": 2030}},
          {"portal": portal})
