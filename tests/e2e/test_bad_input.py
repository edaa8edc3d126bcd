#!/usr/bin/env python3
"""test_bad_input.py: every write of the API, driven from its own OpenAPI
description (/api/v1/openapi.json) with bad input, as the roles that may call it.

usage: test_bad_input.py BINARY DB_URL LABEL
DB_URL must name an empty database. Loads the demo data, starts `kenes serve`
on a loopback port, and for every POST, PUT and PATCH of the API:
  * picks the first demo account the route lets through (not 401/403) with a
    plausible body built from the route's request schema, its path's
    parameters taken from the demo council's records;
  * sends bodies that are not JSON objects (broken JSON, arrays, strings,
    numbers, null, nesting too deep, duplicate keys) and bodies whose
    fields, one at a time, have the wrong type, a value out of range, or a
    bad text (empty, too long, an invalid date, a NUL character escaped);
(control characters and long Cyrillic text among them), then checks that no
answer is a 5xx, that every 4xx carries
{"error": {"code", "message"}}, that every body of the first kind is refused,
that the refused ones changed nothing (the event log's head, read with
`kenes verify`, is where it was), and that the council's feeds are still
well-formed after it all. Run under ASan by make test as well, where a
memory error ends the server and fails the run.
SHOW_BAD=1 prints each bad answer as it comes; SHOW_ACCEPTED=1 lists, at the
end, the values that may or may not be refused and were taken.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Suite, by_status, check_public_feeds, demo_server, eq, event_head  # noqa: E402

BIN, DB, LABEL = sys.argv[1], sys.argv[2], sys.argv[3]
PW = "demo-password-1"
ENV = {"KENES_DEMO_PASSWORD": PW}
ACCOUNTS = ("chair", "secretary", "officer", "operator", "member")
SKIP = {("post", "/api/v1/_test/clock")}  # moves the server's clock: a test aid, not a write


def head():
    return event_head(BIN, DB, ENV)


def plausible(name, schema, n):
    """A value a user could well send for this field."""
    if "enum" in schema:
        return schema["enum"][0]
    t = schema.get("type")
    if t == "integer":
        return 1
    if t == "number":
        return 1
    if t == "boolean":
        return False
    if t == "array":
        return [plausible(name, schema.get("items", {}), n)]
    if t == "object":
        return {k: plausible(k, v, n) for k, v in schema.get("properties", {}).items()}
    if schema.get("format") == "date":
        return "2027-03-15"
    if "pattern" in schema and "[0-5]" in schema["pattern"]:
        return "10:30"
    if name in ("agency", "agency_slug"):
        return "mvd"
    if name in ("slug", "login"):
        return "bad-input-%d" % n
    if "password" in name:
        return "not-the-password-%d" % n
    if name == "url" or name.endswith("_url"):
        return "https://example.org/hook"
    if name == "lang":
        return "en"
    return "Bad input sweep %d" % n


def wrong_values(name, schema):
    """(value, must be refused) pairs for this field: values of the wrong JSON
    type, which are bad input whether or not the route reads the field, and
    values that may or may not be (null, out of range, empty, long, a date
    that does not exist): those only must not break anything."""
    t = schema.get("type")
    if "enum" in schema:
        return [(7, True), ([], True), ("no-such-value", False), ("", False), (None, False)]
    if t in ("integer", "number"):
        return [("1", True), ([], True), ({}, True), (True, True), (1.5, t == "integer"), (-1, False),
                (2 ** 62, False), (None, False)]
    if t == "boolean":
        return [("true", True), (1, True), ([], True), (None, False)]
    if t == "array":
        return [("x", True), ({}, True), ([None], False), ([[]], False), ([{}] * 3, False)]
    if t == "object":
        return [("x", True), ([], True), (7, True)]
    vals = [(7, True), (True, True), ([], True), ({}, True), (None, False), ("", False), ("x" * 70000, False),
            ("a\u0001b\u001bc", False), ("\u0430" * 20000, False)]
    if schema.get("format") == "date":
        vals += [("2027-02-30", False), ("15.03.2027", False), ("2027-3-5", False)]
    if "pattern" in schema:
        vals += [("99:99", False), ("10:30; DROP TABLE x", False)]
    return vals


class Sweep:
    def __init__(self, srv, tokens, fixtures):
        self.srv = srv
        self.tokens = tokens
        self.fixtures = fixtures
        self.client = Client(srv)
        self.bad = []      # (what, why)
        self.statuses = {}  # status: how many answers had it
        self.accepted = []  # wrong values a route took (2xx)
        self.routes = []    # (method, path, caller, schema) of the routes reached
        self.sent = 0
        self.n = 0

    def send(self, method, path, token, raw):
        self.sent += 1
        r = self.client.request(method.upper(), path, body=raw,
                                headers={"Authorization": "Bearer " + token}, ctype="application/json")
        self.statuses[r.status] = self.statuses.get(r.status, 0) + 1
        return r

    def check(self, what, r, must_refuse):
        n = len(self.bad)
        self._check(what, r, must_refuse)
        if len(self.bad) > n and os.environ.get("SHOW_BAD"):
            print("BAD " + " -- ".join(self.bad[-1])[:160], file=sys.stderr)

    def _check(self, what, r, must_refuse):
        if r.status >= 500:
            self.bad.append((what, "answered %d: %s" % (r.status, r.text[:200])))
            return
        if must_refuse and r.status < 400:
            self.bad.append((what, "accepted (%d): %s" % (r.status, r.text[:200])))
            return
        if r.status >= 400:
            try:
                e = r.json()["error"]
                assert isinstance(e["code"], str) and e["code"]
                assert isinstance(e["message"], str) and e["message"]
            except Exception:
                self.bad.append((what, "%d without {\"error\": {code, message}}: %r" % (r.status, r.text[:200])))

    def path_of(self, template):
        def value(m):
            name = m.group(1)
            before = template[:m.start()].rstrip("/").rsplit("/", 1)[-1]
            return str(self.fixtures.get((before, name), self.fixtures.get(name, 1)))
        return re.sub(r"\{(\w+)\}", value, template)

    def base(self, schema):
        self.n += 1
        return {k: plausible(k, v, self.n) for k, v in schema.get("properties", {}).items()}

    def caller(self, method, path, schema):
        """The first account the route lets through with a plausible body."""
        for who in ACCOUNTS:
            r = self.send(method, path, self.tokens[who], json.dumps(self.base(schema)))
            self.check("%s %s as %s, plausible body" % (method.upper(), path, who), r, False)
            if r.status not in (401, 403):
                return who
        return None

    def not_objects(self, method, path, who):
        """Bodies that are not a JSON object: each must be refused."""
        for label, raw in (("broken JSON", '{"title": '), ("an array", "[1, 2]"), ("a string", '"x"'),
                           ("a number", "7"), ("null", "null"), ("nesting too deep", "[" * 5000 + "]" * 5000),
                           ("duplicate keys", '{"a": 1, "a": 2}'), ("an escaped NUL", '{"title": "a\\u0000b"}'),
                           ("a lone surrogate", '{"title": "\\ud800"}'), ("not UTF-8", b'{"title": "\xff\xfe"}')):
            r = self.send(method, path, self.tokens[who], raw)
            self.check("%s %s as %s, %s" % (method.upper(), path, who, label), r, True)

    def fields(self, method, path, who, schema):
        """One field at a time given a wrong value; the rest plausible."""
        for name, fs in schema.get("properties", {}).items():
            for v, refuse in wrong_values(name, fs):
                body = self.base(schema)
                body[name] = v
                r = self.send(method, path, self.tokens[who], json.dumps(body))
                shown = json.dumps(v)
                if r.status < 300:
                    self.accepted.append("%s %s %s=%s" % (method.upper(), path, name, shown[:20]))
                self.check("%s %s as %s, %s = %s" % (method.upper(), path, who, name,
                                                    shown if len(shown) < 40 else shown[:37] + "..."), r, refuse)


def fixtures(c, chair, member):
    """Path parameters from the demo council's records: (collection, name) or name."""
    def first(path, key):
        r = c.api("GET", path, token=chair)
        eq(r.status, 200, path + ": " + r.text[:200])
        for v in r.json().values():
            if isinstance(v, list) and v:
                return v[0][key]
        return 1
    base = "/api/v1/councils/ncpt/"
    # an appeal filed by an account of the demo, so that its filer's routes
    # (answer, reopen) have a caller too
    r = c.api("POST", base + "appeals", {"subject": "Bad input sweep", "body": "An appeal to send bad input about.",
                                         "category": "other", "urgency": "normal", "visibility": "public",
                                         "scale": "group"}, token=member)
    eq(r.status, 201, r.text)
    return {
        "council": "ncpt", "agency": "mvd",
        ("appeals", "ref"): r.json()["reference"],
        ("meetings", "id"): first(base + "meetings", "id"),
        ("proposals", "id"): first(base + "proposals", "id"),
        ("consultations", "id"): first(base + "consultations", "id"),
        ("reforms", "id"): first(base + "reforms", "id"),
        ("seats", "id"): first(base + "seats", "id"),
        ("groups", "group"): first(base + "groups", "id"),
        ("assignments", "id"): 1, ("extensions", "ext"): 1, ("laws", "id"): 1, ("people", "person"): 1,
        ("members", "person"): 1, ("statements", "number"): 1,
    }


def writes(doc):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if method in ("post", "put", "patch") and (method, path) not in SKIP:
                schema = (op.get("requestBody", {}).get("content", {}).get("application/json", {})
                          .get("schema", {"type": "object"}))
                yield method, path, schema


def test_bodies_that_are_not_objects(sw, doc):
    routes = 0
    for method, template, schema in writes(doc):
        path = sw.path_of(template)
        who = sw.caller(method, path, schema)
        if who is None:
            sw.bad.append(("%s %s" % (method.upper(), path), "no demo account may call it"))
            continue
        routes += 1
        sw.not_objects(method, path, who)
        sw.routes.append((method, path, who, schema))
    assert routes >= 60, "only %d routes reached" % routes
    assert not sw.bad, "%d bad answers of %d, first: %s" % (len(sw.bad), sw.sent, sw.bad[:15])
    # the plausible bodies may have written; the refused ones must not have:
    # send them all again and compare the log's head
    mid = head()
    for method, path, who, schema in sw.routes:
        sw.not_objects(method, path, who)
    eq(head(), mid, "the event log after %d refused bodies" % (10 * len(sw.routes)))
    assert not sw.bad, sw.bad[:15]


def test_fields_of_the_wrong_kind(sw, doc):
    for method, path, who, schema in sw.routes:
        sw.fields(method, path, who, schema)
    assert not sw.bad, "%d bad answers of %d, first: %s" % (len(sw.bad), sw.sent, sw.bad[:15])
    # whatever was taken, the public feeds are still readable
    check_public_feeds(sw.client)


def main():
    suite = Suite("e2e-bad-input[%s]" % LABEL)
    srv = demo_server(BIN, DB, ENV)
    if not srv:
        return 1
    try:
        c = Client(srv)
        tokens = {}
        for who in ACCOUNTS:
            r = c.api("POST", "/api/v1/tokens", {"login": who, "password": PW, "name": "bad input"})
            eq(r.status, 201, r.text)
            tokens[who] = r.json()["token"]
        doc = c.get("/api/v1/openapi.json").json()
        sw = Sweep(srv, tokens, fixtures(c, tokens["chair"], tokens["member"]))
        suite.run(test_bodies_that_are_not_objects, sw, doc)
        sw.bad = []
        suite.run(test_fields_of_the_wrong_kind, sw, doc)
        print("  (%d requests to %d routes; answers by status: %s)" % (
            sw.sent, len(sw.routes), by_status(sw.statuses)))
        if os.environ.get("SHOW_ACCEPTED"):
            print("\n".join(sw.accepted))
    finally:
        suite.stop_server(srv)
    return suite.summary()


if __name__ == "__main__":
    sys.exit(main())
