#!/usr/bin/env python3
"""test_bad_forms.py: every form of the web pages, found by crawling them as
each demo account, submitted with bad input.

usage: test_bad_forms.py BINARY DB_URL LABEL
DB_URL must name an empty database. Loads the demo data, starts `kenes serve`
on a loopback port, and for each demo account (and an anonymous visitor):
  * files appeals and forwards them to an agency (one left there, one with an
    extension asked for, one resolved), and issues an assignment to it, so
    that the workflow forms of the filer, the secretariat and the agency's
    officer show;
  * crawls the site's pages from a few starting points, following its own
    links (at most a few pages of each shape: /councils/ncpt/assignments/7
    and /12 are one shape), and collects every POST form;
  * submits each form without its CSRF token (it must be refused, 403),
    then with its fields as the page gave them, then one field at a time
    emptied, made too long, given a date that does not exist, a number that
    is not one, a choice the form does not offer, or markup;
then checks that no answer is a 5xx, that a refused form (400 or 422) comes
back as a page that says what is wrong (role="alert" or class="error"), and
that the forms refused for their missing CSRF token changed nothing (the
event log's head, read with `kenes verify`), and that the council's feeds are
still well-formed after it all. Run under ASan by make test as
well. Forms that end the session or change the account's password are left
out: they would end the crawl, not test it.
SHOW_BAD=1 prints each bad answer as it comes.
"""
import html.parser
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Suite, by_status, check_public_feeds, demo_server, eq, event_head  # noqa: E402
from harness import crawl as harness_crawl  # noqa: E402

BIN, DB, LABEL = sys.argv[1], sys.argv[2], sys.argv[3]
PW = "demo-password-1"
ENV = {"KENES_DEMO_PASSWORD": PW}
ACCOUNTS = (None, "member", "officer", "secretary", "chair", "operator")
START = ("/", "/councils/ncpt", "/councils/ncpt/assignments", "/councils/ncpt/appeals", "/agencies/mvd",
         "/account", "/inbox", "/councils/ncpt/appeals/triage", "/agencies/mvd/appeals/queue", "/admin/roles",
         "/councils/ncpt/consultations", "/councils/ncpt/meetings", "/councils/ncpt/proposals")
SKIP_LINK = re.compile(r"^/(static|logout)|/files/|\.(atom|ics|csv|json|txt|zip)$|^/api/|^/open-data|lang=")
SKIP_FORM = re.compile(r"/logout|password|/sessions|/tokens|/_test")
PER_SHAPE = 2
MAX_PAGES = 150


def head():
    return event_head(BIN, DB, ENV)


class Forms(html.parser.HTMLParser):
    """The links and the POST forms of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.forms = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.form = {"action": a.get("action", ""), "method": (a.get("method") or "get").lower(),
                         "fields": []}
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            t = (a.get("type") or "text").lower()
            if t in ("checkbox", "radio") and "checked" not in a:
                self.form["fields"].append({"name": a["name"], "type": t, "value": None, "on": a.get("value", "on")})
            elif t not in ("submit", "button", "image", "file", "reset"):
                self.form["fields"].append({"name": a["name"], "type": t, "value": a.get("value", "")})
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "type": "select", "value": None, "options": []}
            self.form["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            v = a.get("value", "")
            self.select["options"].append(v)
            if self.select["value"] is None or "selected" in a:
                self.select["value"] = v
        elif tag == "textarea" and a.get("name"):
            self.textarea = {"name": a["name"], "type": "textarea", "value": ""}
            self.form["fields"].append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.form is not None:
            if self.form["method"] == "post":
                self.forms.append(self.form)
            self.form = None


def fixtures(srv):
    """Records in the states that show the workflow forms (an appeal forwarded to an
    agency, an assignment just issued to it); the pages that show them, per account."""
    tok = {}
    for who in ("member", "secretary", "chair", "officer"):
        r = Client(srv).api("POST", "/api/v1/tokens", {"login": who, "password": PW, "name": "forms"})
        eq(r.status, 201, r.text)
        tok[who] = r.json()["token"]
    c = Client(srv)

    def appeal(*steps):
        """A member's appeal, forwarded to mvd, then taken through the officer's steps."""
        r = c.api("POST", "/api/v1/councils/ncpt/appeals", {
            "subject": "Forms sweep", "body": "An appeal whose forms get bad input.", "category": "other",
            "urgency": "normal", "visibility": "public", "scale": "group"}, token=tok["member"])
        eq(r.status, 201, r.text)
        ref = r.json()["reference"]
        r = c.api("POST", "/api/v1/councils/ncpt/appeals/%s/forward" % ref, {"agency": "mvd", "note": "Yours."},
                  token=tok["secretary"])
        eq(r.status, 200, r.text)
        for step, body in steps:
            r = c.api("POST", "/api/v1/agencies/mvd/appeals/%s/%s" % (ref, step), body, token=tok["officer"])
            eq(r.status, 200, step + ": " + r.text)
        return "/councils/ncpt/appeals/" + ref

    # forwarded (the officer's forms); an extension asked for (the secretariat's
    # decision); resolved (the filer's reopening)
    forwarded = appeal()
    extension = appeal(("acknowledge", {"text": "Received."}),
                       ("extension", {"days": 10, "reason": "We need the region's figures."}))
    resolved = appeal(("acknowledge", {"text": "Received."}), ("resolve", {"text": "Done: the route is back."}))
    r = c.api("POST", "/api/v1/councils/ncpt/assignments",
              {"title": "Forms sweep assignment", "agency": "mvd", "deadline": "2099-06-30"}, token=tok["chair"])
    eq(r.status, 201, r.text)
    aid = r.json()["id"]
    assignment = "/councils/ncpt/assignments/%d" % aid
    return {
        "member": (forwarded, resolved),
        "officer": (forwarded, assignment, "/agencies/mvd/assignments/%d/report" % aid,
                    "/agencies/mvd/assignments/%d/extension" % aid),
        "secretary": (forwarded, extension, assignment),
        "chair": (assignment,),
        "operator": ("/admin/calendar", "/admin/webhooks", "/councils/ncpt/telegram"),
    }


def shape(path):
    return re.sub(r"/\d+", "/#", re.sub(r"[A-Z]+-\d{4}-\d+", "REF", path))


def crawl(c, first=()):
    """Pages reachable from first and START as this client; the POST forms found."""
    forms = {}

    def visit(path, r):
        p = Forms()
        p.feed(r.text)
        for f in p.forms:
            action = f["action"] or path.split("?")[0]
            key = (shape(action), tuple(sorted(x["name"] for x in f["fields"])))
            if key not in forms and not SKIP_FORM.search(action):
                forms[key] = (path, action, f["fields"])
        return p.links

    n = harness_crawl(c, list(first) + list(START), SKIP_LINK, lambda t: shape(t.split("?")[0]), PER_SHAPE,
                      MAX_PAGES, visit)
    return n, list(forms.values())


def filled(fields, csrf=True):
    out = {}
    for f in fields:
        if f["value"] is None and f["type"] in ("checkbox", "radio"):
            continue
        if f["name"] == "csrf" and not csrf:
            continue
        out[f["name"]] = f["value"] if f["value"] is not None else ""
    return out


def bad_values(f):
    if f["name"] == "csrf":
        return []
    t = f["type"]
    vals = ["", "x" * 70000, "<script>alert(1)</script>", "\u202eevil", "a\u0001b\u001bc", "\u0430" * 20000]
    if t == "date" or re.search(r"(_on|date|deadline)$", f["name"]):
        vals += ["2027-02-30", "15.03.2027"]
    if t == "number" or re.search(r"(_id|seats|days|number|count)$", f["name"]):
        vals += ["x", "-1", "1e99", "99999999999999999999"]
    if t == "select":
        vals += ["no-such-choice"]
    if t == "time":
        vals += ["99:99"]
    return vals


class Sweep:
    def __init__(self):
        self.bad = []
        self.sent = 0
        self.statuses = {}

    def post(self, c, action, data, what, must_refuse=None):
        self.sent += 1
        r = c.post(action, data)
        self.statuses[r.status] = self.statuses.get(r.status, 0) + 1
        if r.status >= 500:
            self.bad.append((what, "answered %d: %s" % (r.status, r.text[:200])))
        elif must_refuse is not None and r.status != must_refuse:
            self.bad.append((what, "answered %d, not %d" % (r.status, must_refuse)))
        elif r.status in (400, 422) and "text/html" in r.headers.get("content-type", "") and \
                'role="alert"' not in r.text and 'class="error"' not in r.text:
            self.bad.append((what, "%d without saying what is wrong" % r.status))
        if os.environ.get("SHOW_BAD") and self.bad and self.bad[-1][0] == what:
            print("BAD " + " -- ".join(self.bad[-1])[:200], file=sys.stderr)
        return r


def login(srv, who):
    c = Client(srv)
    if who:
        c.login(who, PW)
    return c


def test_forms_without_csrf(srv, sw, found, clients):
    before = head()
    n = 0
    for who, forms in found.items():
        c = clients[who]
        for page, action, fields in forms:
            if not any(f["name"] == "csrf" for f in fields):
                continue
            n += 1
            sw.post(c, action, filled(fields, csrf=False), "%s as %s, no CSRF token" % (action, who or "anonymous"),
                    must_refuse=403)
    assert n >= 20, "only %d forms with a CSRF token" % n
    eq(head(), before, "the event log after %d forms without their CSRF token" % n)
    assert not sw.bad, "%d bad answers, first: %s" % (len(sw.bad), sw.bad[:10])


def test_forms_with_bad_fields(srv, sw, found, clients):
    for who, forms in found.items():
        c = clients[who]
        for page, action, fields in forms:
            # the form as the page gave it (a fresh CSRF token each time)
            sw.post(c, action, filled(fields), "%s as %s, as given" % (action, who or "anonymous"))
            for f in fields:
                for v in bad_values(f):
                    data = filled(fields)
                    data[f["name"]] = v
                    shown = repr(v) if len(v) < 30 else repr(v[:27]) + "..."
                    sw.post(c, action, data, "%s as %s, %s = %s" % (action, who or "anonymous", f["name"], shown))
            if who:
                assert c.cookies.get("kn_session"), "%s: signed out by %s" % (who, action)
    assert not sw.bad, "%d bad answers of %d, first: %s" % (len(sw.bad), sw.sent, sw.bad[:10])
    check_public_feeds(Client(srv))


def main():
    suite = Suite("e2e-bad-forms[%s]" % LABEL)
    srv = demo_server(BIN, DB, ENV)
    if not srv:
        return 1
    try:
        found, clients, pages = {}, {}, 0
        first = fixtures(srv)
        for who in ACCOUNTS:
            clients[who] = login(srv, who)
            n, forms = crawl(clients[who], first.get(who, ()))
            pages += n
            found[who] = forms
        sw = Sweep()
        suite.run(test_forms_without_csrf, srv, sw, found, clients)
        sw.bad = []
        suite.run(test_forms_with_bad_fields, srv, sw, found, clients)
        print("  (%d pages crawled, %d forms, %d submissions; answers by status: %s)" % (
            pages, sum(len(f) for f in found.values()), sw.sent,
            by_status(sw.statuses)))
    finally:
        suite.stop_server(srv)
    return suite.summary()


if __name__ == "__main__":
    sys.exit(main())
