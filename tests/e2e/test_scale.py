#!/usr/bin/env python3
"""test_scale.py: a council at a national registry's size, against the real binary.

usage: test_scale.py BINARY DB_URL LABEL
DB_URL must name an empty database. The test loads the demo, then adds through
the API what a few years of a national council bring: 17 regional akimats with
700 district akimats under them and 80 committees, 260 meetings, 450 proposals,
600 public appeals, 60 reform packages, 300 people, 80 consultations and 120
assignments. Then:
- every public page a visitor reaches by following links is under the brief's
  60 KB of HTML (before paging they reached 86 KB: the agency registry, and
  73 KB: a council's assignments list, whose agency filter listed the whole
  registry);
- the paged lists, pages and API, give every record once, as many as the total
  says;
- the assignments list's agency filter offers the agencies the council gave
  assignments to (as executor or co-executor), not the registry.
"""
import html.parser
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Suite, contains, crawl, demo_server, eq  # noqa: E402

BIN, DB, LABEL = sys.argv[1], sys.argv[2], sys.argv[3]
PW = "demo-password-1"
ENV = {"KENES_DEMO_PASSWORD": PW}
BAR = 60 * 1024
REGIONS, DISTRICTS, COMMITTEES = 17, 700, 80


class Ctx:
    pass


C = Ctx()


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.next = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            if a.get("rel") == "next":
                self.next = a["href"]


def links(text):
    p = Links()
    p.feed(text)
    return p


def api(method, path, obj=None, who=None):
    return C.client.api(method, path, obj, token=C.tok.get(who) if who else None)


def make(path, obj, who):
    r = api("POST", path, obj, who)
    eq(r.status, 201, "%s %s" % (path, r.text[:300]))
    return r.json()


def region_of(i):
    """The first 150 districts are region-0's (more than its page's 100 units), the rest spread over the others."""
    return "region-0" if i < 150 else "region-%d" % (1 + i % (REGIONS - 1))


def test_setup():
    C.server = demo_server(BIN, DB, ENV)
    assert C.server, "the demo did not load"
    C.client = Client(C.server)
    C.tok = {}
    for who in ("operator", "chair", "secretary", "citizen", "officer"):
        r = Client(C.server).api("POST", "/api/v1/tokens", {"login": who, "password": PW, "name": "scale"})
        eq(r.status, 201, r.text)
        C.tok[who] = r.json()["token"]
    for i in range(REGIONS):
        make("/api/v1/agencies", {"slug": "region-%d" % i, "name": {"en": "Akimat of region %d" % i},
                                  "kind": "akimat"}, "operator")
    for i in range(DISTRICTS):
        make("/api/v1/agencies", {"slug": "district-%d" % i,
                                  "name": {"en": "Akimat of district %d of the region" % i,
                                           "ru": "Акимат района %d" % i, "kk": "Аудан әкімдігі %d" % i},
                                  "kind": "akimat", "parent": region_of(i)}, "operator")
    for i in range(COMMITTEES):
        make("/api/v1/agencies", {"slug": "committee-%d" % i, "name": {"en": "Committee %d of the state" % i},
                                  "kind": "committee"}, "operator")
    for i in range(260):
        make("/api/v1/councils/ncpt/meetings", {"kind": "plenary", "title": "Meeting %d on regional affairs" % i,
                                                "date": "2027-%02d-%02d" % (1 + i % 12, 1 + i % 28),
                                                "time": "10:00", "place": "Akorda"}, "secretary")
    for i in range(450):
        make("/api/v1/councils/ncpt/proposals", {"title": "Proposal %d: reform of the district services" % i,
                                                 "body": "Details."}, "chair")
    for i in range(600):
        make("/api/v1/councils/ncpt/appeals", {"subject": "Appeal %d about local roads and water" % i,
                                               "body": "The road is broken.", "category": "housing",
                                               "scale": "group", "visibility": "public"}, "citizen")
    # the secretariat forwards 130 of them to the Ministry of Internal Affairs
    for a in api("GET", "/api/v1/councils/ncpt/appeals?limit=130").json()["appeals"]:
        r = api("POST", "/api/v1/councils/ncpt/appeals/%s/forward" % a["reference"], {"agency": "mvd"}, "secretary")
        eq(r.status, 200, r.text[:300])
    for i in range(60):
        make("/api/v1/councils/ncpt/reforms", {"title": "Reform package %d" % i, "description": "Details."},
             "secretary")
    for i in range(300):
        make("/api/v1/councils/ncpt/people", {"full_name": "Person %03d Scaleuly" % i}, "secretary")
    for i in range(80):
        make("/api/v1/councils/ncpt/consultations", {"question": "Question %d?" % i, "opens_on": "2026-11-01",
                                                     "closes_on": "2027-01-01", "who": "anyone"}, "secretary")
    # assignments: to three ministries, and one with a district akimat as co-executor
    for i in range(120):
        body = {"title": "Assignment %d: follow up the council's decision in the regions" % i,
                "agency": ("mvd", "minfin", "kgd")[i % 3], "deadline": "2027-%02d-%02d" % (1 + i % 12, 1 + i % 28)}
        if i == 7:
            body["coexecutors"] = ["district-5"]
        make("/api/v1/councils/ncpt/assignments", body, "chair")


def shape(path):
    """/councils/ncpt/meetings/12 and /agencies/district-5 as one shape each."""
    p = urllib.parse.urlsplit(path)
    s = re.sub(r"/\d+(?=/|$)", "/N", p.path)
    s = re.sub(r"/(district|region|committee)-\d+", "/AGENCY", s)
    return s + ("?" + "&".join(sorted(k for k, _ in urllib.parse.parse_qsl(p.query))) if p.query else "")


SKIP = re.compile(r"^/(static|logout|login|register|api|open-data)|/files/|/export/|"
                  r"\.(atom|ics|csv|json|txt|zip|svg)$|lang=")


def test_every_public_page_under_60kb():
    """A visitor's crawl: every page reached, three of each shape of address."""
    sizes = []

    def visit(path, r):
        sizes.append((len(r.body), path))
        return links(r.text).links

    crawl(Client(C.server), ["/", "/councils/ncpt", "/agencies", "/people", "/agencies?kind=akimat"], SKIP, shape, 3,
          2000, visit)
    sizes.sort(reverse=True)
    over = [(n, p) for n, p in sizes if n >= BAR]
    assert not over, "over 60 KB: %s" % over[:10]
    assert len(sizes) > 200, "only %d pages reached" % len(sizes)
    paths = {p for _, p in sizes}
    for must in ("/agencies?page=2", "/people?page=2", "/councils/ncpt/reforms?page=2",
                 "/councils/ncpt/consultations?page=2", "/councils/ncpt/meetings?page=2",
                 "/councils/ncpt/proposals?page=2"):
        assert must in paths, "%s not reached by links" % must
    assert any(p.startswith("/agencies/region-") for p in paths), "no regional akimat reached by links"
    print("       %d pages, the largest %d bytes (%s)" % (len(sizes), sizes[0][0], sizes[0][1]))


def walk_pages(first, item, c=None):
    """Follows rel=next from first (as a visitor, or as client c); the item links (regex) of every page, in order."""
    c, path, found, pages = c or Client(C.server), first, [], 0
    while path:
        r = c.get(path)
        eq(r.status, 200, path)
        assert len(r.body) < BAR, "%s: %d bytes" % (path, len(r.body))
        p = links(r.text)
        found += [h for h in p.links if re.fullmatch(item, h)]
        path = p.next
        pages += 1
        assert pages < 100, "no end to %s" % first
    return found, pages


def api_total(path):
    r = api("GET", path + ("&" if "?" in path else "?") + "limit=1")
    eq(r.status, 200, r.text)
    return r.json()["total"]


def test_paged_lists_give_every_record_once():
    cases = [
        ("/people", r"/people/\d+", "/api/v1/people"),
        # (each district names its region too: count the districts alone)
        ("/agencies?kind=akimat", r"/agencies/district-\d+", "/api/v1/agencies?kind=akimat", -REGIONS),
        ("/agencies?kind=committee", r"/agencies/(committee-\d+|kgd)", "/api/v1/agencies?kind=committee"),
        ("/councils/ncpt/reforms", r"/councils/ncpt/reforms/\d+", "/api/v1/councils/ncpt/reforms"),
        ("/councils/ncpt/consultations", r"/councils/ncpt/consultations/\d+",
         "/api/v1/councils/ncpt/consultations"),
        ("/councils/ncpt/meetings", r"/councils/ncpt/meetings/\d+", "/api/v1/councils/ncpt/meetings"),
        ("/councils/ncpt/proposals", r"/councils/ncpt/proposals/\d+", "/api/v1/councils/ncpt/proposals"),
    ]
    for first, item, api_path, *less in cases:
        found, pages = walk_pages(first, item)
        total = api_total(api_path) + sum(less)
        eq(len(set(found)), total, first + ": records over the pages against the API's total")
        eq(len(found), len(set(found)), first + ": a record on two pages")
        assert pages >= 2, "%s: %d page(s) for %d records" % (first, pages, total)
    # the registry's first page: agencies under no other, with their first units
    r = C.client.get("/agencies")
    contains(r.text, 'href="/agencies/region-0">All 150 units</a>')
    # and an agency's own page gives its units a page at a time
    units, pages = walk_pages("/agencies/region-0", r"/agencies/district-\d+")
    eq((len(set(units)), len(units), pages), (150, 150, 2), "region-0's units over its pages")
    top, _ = walk_pages("/agencies", r"/agencies/[a-z0-9-]+")
    assert "/agencies/district-699" not in top, "a unit listed past its agency's first five"
    for i in range(REGIONS):
        assert "/agencies/region-%d" % i in top, "region-%d is missing from the registry's pages" % i
    eq(C.client.get("/agencies?kind=nope").status, 400, "an unknown kind")
    # a list's filters mark the one shown (an attribute, not escaped text)
    for path, label in (("/councils/ncpt/meetings?kind=plenary", "plenary"), ("/councils/ncpt/proposals", "all")):
        r = C.client.get(path)
        eq(r.text.count('aria-current="page">'), 2, path + ": the site's section and the filter shown")
        assert "&quot;page&quot;" not in r.text, path
        contains(r.text, 'aria-current="page">%s</a>' % label)


def test_api_lists_page_through():
    for path, key in (("/api/v1/agencies", "agencies"), ("/api/v1/people", "people"),
                      ("/api/v1/councils/ncpt/meetings", "meetings"), ("/api/v1/councils/ncpt/appeals", "appeals"),
                      ("/api/v1/councils/ncpt/proposals", "proposals")):
        r = api("GET", path)
        eq(r.status, 200, r.text[:200])
        d = r.json()
        eq((len(d[key]), d["offset"], d["limit"]), (100, 0, 100), path + ": the default page")
        ids, off = [], 0
        while off < d["total"]:
            page = api("GET", "%s?limit=500&offset=%d" % (path, off)).json()
            ids += [x.get("id", x.get("reference", x.get("slug"))) for x in page[key]]
            off += 500
        eq(len(ids), d["total"], path)
        eq(len(set(ids)), len(ids), path + ": a record twice")
        for bad in ("limit=501", "limit=0", "offset=-1", "limit=x"):
            r = api("GET", path + "?" + bad)
            eq(r.status, 400, path + "?" + bad)
            eq(r.json()["error"]["field"], "limit")
    eq(api("GET", "/api/v1/agencies?kind=akimat&limit=1").json()["total"], REGIONS + DISTRICTS)
    # an agency's queue (its officer's): 40 open assignments, 15 a page
    first = api("GET", "/api/v1/agencies/mvd/queue?limit=15", who="officer").json()
    eq((len(first["assignments"]), first["total"]), (15, 40), "the queue's first page")
    seen = []
    for off in range(0, first["total"], 15):
        seen += [a["id"] for a in api("GET", "/api/v1/agencies/mvd/queue?limit=15&offset=%d" % off,
                                      who="officer").json()["assignments"]]
    eq((len(seen), len(set(seen))), (40, 40), "the queue over its pages")
    eq(api("GET", "/api/v1/agencies/mvd/queue?limit=501", who="officer").status, 400)
    eq(api("GET", "/api/v1/agencies?kind=nope").status, 400)


def test_appeal_work_lists_page_through():
    """The secretariat's triage lists, an officer's queue and a filer's own appeals come a page at a time, every
    appeal once; they used to stop at 200 without a word."""
    ref = r"/councils/ncpt/appeals/[A-Z0-9-]+"
    secret = make("/api/v1/councils/ncpt/appeals", {"subject": "A confidential matter", "body": "Only for the council.",
                                                    "category": "rights", "scale": "person",
                                                    "visibility": "confidential"}, "citizen")["reference"]
    people = {}
    for who in ("secretary", "officer", "citizen"):
        people[who] = Client(C.server)
        people[who].login(who, PW)
    sec = people["secretary"]
    counts = {}
    for first, key in (("/councils/ncpt/appeals/triage", "waiting"),
                       ("/councils/ncpt/appeals/triage?list=agencies", "agencies")):
        r = sec.get(first)
        eq(r.status, 200, first)
        shown = re.findall(r'aria-current="page">[^<(]*\((\d+)\)</a>', r.text)
        eq(len(shown), 1, first + ": the shown list's count")
        found, pages = walk_pages(first, ref, sec)
        eq((len(found), len(set(found))), (int(shown[0]), int(shown[0])), first + ": appeals over the pages")
        counts[key] = int(shown[0])
    assert counts["waiting"] >= 600 - 130 and counts["agencies"] >= 130, counts
    # the same lists in the API, for the secretariat alone
    for key, q in (("waiting", ""), ("agencies", "?list=agencies")):
        refs, off = [], 0
        while True:
            d = api("GET", "/api/v1/councils/ncpt/appeals/triage%s%slimit=200&offset=%d"
                    % (q, "&" if q else "?", off), who="secretary").json()
            refs += [a["reference"] for a in d["appeals"]]
            off += 200
            if off >= d["total"]:
                break
        eq((d["total"], len(refs), len(set(refs))), (counts[key],) * 3, "the API's %s list" % key)
    first = api("GET", "/api/v1/councils/ncpt/appeals/triage?limit=5", who="secretary").json()["appeals"]
    eq((first[0]["reference"], first[0]["visibility"]), (secret, "confidential"), "the newest, confidential too")
    assert first[0]["filer"], first[0]
    assert secret not in api("GET", "/api/v1/councils/ncpt/appeals?limit=5").text, "confidential in the public list"
    eq(api("GET", "/api/v1/councils/ncpt/appeals/triage", who="citizen").status, 403)
    eq(api("GET", "/api/v1/councils/ncpt/appeals/triage?list=nope", who="secretary").json()["error"]["field"], "list")
    eq(sec.get("/councils/ncpt/appeals/triage?list=nope").status, 400)
    eq(sec.get("/councils/ncpt/appeals/triage?page=0").status, 400)
    eq(people["citizen"].get("/councils/ncpt/appeals/triage").status, 403)
    # the officer's queue, page and API, against the API's total
    total = api("GET", "/api/v1/agencies/mvd/appeals/queue?limit=1", who="officer").json()["total"]
    assert total >= 130, total
    found, pages = walk_pages("/agencies/mvd/appeals/queue", ref, people["officer"])
    eq((len(found), len(set(found))), (total, total), "the officer's queue over its pages")
    assert pages >= 3, pages
    seen = []
    for off in range(0, total, 40):
        d = api("GET", "/api/v1/agencies/mvd/appeals/queue?limit=40&offset=%d" % off, who="officer").json()
        eq((d["total"], d["offset"], d["limit"]), (total, off, 40))
        seen += [a["reference"] for a in d["appeals"]]
    eq((len(seen), len(set(seen))), (total, total), "the API queue over its pages")
    eq(api("GET", "/api/v1/agencies/mvd/appeals/queue?limit=501", who="officer").status, 400)
    # the agency's public appeals, to anyone (confidential ones are never listed)
    public = sum(1 for a in api("GET", "/api/v1/councils/ncpt/appeals?limit=500&state=forwarded").json()["appeals"]
                 if a["agency"] == "mvd")
    found, pages = walk_pages("/agencies/mvd/appeals", ref)
    assert len(found) == len(set(found)) and len(found) >= public >= 130, (len(found), len(set(found)), public)
    assert pages >= 3, pages
    # the secretary's inbox (a notification for each appeal filed), newest first, a page at a time
    d = api("GET", "/api/v1/inbox?limit=1", who="secretary").json()
    assert d["total"] >= 600 and d["unread"] >= 600, (d["total"], d["unread"])
    path, items, pages = "/inbox", 0, 0
    while path:
        r = sec.get(path)
        eq(r.status, 200, path)
        items += len(re.findall(r"<li[ >]", re.search(r'<ul class="inbox">.*?</ul>', r.text, re.S).group(0)))
        path, pages = links(r.text).next, pages + 1
    eq(items, d["total"], "notifications over the inbox's pages")
    assert pages >= 12, pages
    ids = []
    for off in range(0, d["total"], 500):
        ids += [m["id"] for m in api("GET", "/api/v1/inbox?limit=500&offset=%d" % off, who="secretary").json()
                ["notifications"]]
    eq((len(ids), len(set(ids))), (d["total"], d["total"]), "the API inbox over its pages")
    eq(ids, sorted(ids, reverse=True), "newest first")
    # the routing rules: eleven fields taking a short name or words of a name; the registry is too large
    # to send as their list (eleven selects of it were 595 KB)
    r = sec.get("/councils/ncpt/appeals/settings")
    eq(r.status, 200)
    eq((r.text.count("<datalist"), r.text.count('name="route_')), (0, 11), "no list, eleven fields")
    assert len(r.body) < 20 * 1024, "the settings page is %d bytes" % len(r.body)
    eq(sec.form("/councils/ncpt/appeals/settings", "/councils/ncpt/appeals/settings",
                {"route_housing": "district-5"}).status, 303)
    contains(sec.get("/councils/ncpt/appeals/settings").text, 'name="route_housing" type="text" value="district-5"')
    for bad, says in (("no-such", "No such agency."), ("akimat district", "Several agencies match")):
        r = sec.form("/councils/ncpt/appeals/settings", "/councils/ncpt/appeals/settings", {"route_housing": bad})
        eq(r.status, 422, bad)
        contains(r.text, says)
    eq(sec.form("/councils/ncpt/appeals/settings", "/councils/ncpt/appeals/settings",
                {"route_housing": "Аудан әкімдігі 77"}).status, 303, "words only one agency has")
    contains(sec.get("/councils/ncpt/appeals/settings").text, 'value="district-77"')
    # a name said whole wins over the longer names holding its words: "Akimat of region 1" is region-1's,
    # although district 1's name and regions 10-19's hold the same words; a search still finds them all
    eq(sec.form("/councils/ncpt/appeals/settings", "/councils/ncpt/appeals/settings",
                {"route_housing": "akimat of  REGION 1"}).status, 303, "a whole name, any case and spacing")
    contains(sec.get("/councils/ncpt/appeals/settings").text, 'value="region-1"')
    assert api("GET", "/api/v1/agencies?q=Akimat+of+region+1").json()["total"] > 10
    # forwarding takes the same: the secretary's page of an appeal no longer carries the registry
    page = sec.get("/councils/ncpt/appeals/" + secret)
    assert len(page.body) < 20 * 1024 and "<datalist" not in page.text, len(page.body)
    r = sec.form("/councils/ncpt/appeals/" + secret, "/councils/ncpt/appeals/%s/forward" % secret,
                 {"agency": "Committee 79 of the state"})
    eq(r.status, 303, r.text[:300])
    eq(api("GET", "/api/v1/councils/ncpt/appeals/" + secret, who="secretary").json()["agency"], "committee-79")
    # the citizen filed 600 here
    found, pages = walk_pages("/appeals/mine", ref, people["citizen"])
    assert len(found) >= 600 and len(found) == len(set(found)), (len(found), len(set(found)))
    contains(people["citizen"].get("/appeals/mine?page=99").text, "This page is past the end of the list.")


def test_staff_forms_name_people():
    """The seat, rotation and group forms name a person by words of the name: 300 more people would make
    a select of them on every joining row (the rotation form was 77-81 KB); the list is offered only while
    it is short."""
    sec = Client(C.server)
    sec.login("secretary", PW)
    for path in ("/councils/ncpt/rotations/new?rows=12", "/councils/ncpt/seats/new"):
        r = sec.get(path)
        eq(r.status, 200, path)
        assert "<datalist" not in r.text and "Scaleuly" not in r.text, path
        assert len(r.body) < 40 * 1024, "%s is %d bytes" % (path, len(r.body))
    # a group's leader is one of those who sat on the council: still a short list
    r = sec.get("/councils/ncpt/groups/new")
    contains(r.text, '<datalist id="people-sat">')
    assert "Scaleuly" not in r.text
    for key, says in (("scaleuly", "Several people match"), ("person 1234", "No such person")):
        r = sec.form("/councils/ncpt/seats/new", "/councils/ncpt/seats/new",
                     {"person_id": key, "role": "member", "sector": "ngo", "joined_on": "2026-11-02"})
        eq(r.status, 422, key)
        contains(r.text, says, key)
    r = sec.form("/councils/ncpt/seats/new", "/councils/ncpt/seats/new",
                 {"person_id": "scaleuly", "role": "member", "sector": "ngo", "joined_on": "2026-11-02"})
    contains(html.unescape(r.text), "… (300)", "the count of those matching")
    r = sec.form("/councils/ncpt/rotations/new", "/councils/ncpt/rotations/new",
                 {"rows": "4", "held_on": "2026-11-02", "joining.1.person_id": "Scaleuly 123",
                  "joining.1.role": "member", "joining.1.sector": "ngo",
                  "joining.4.person_id": "person 299", "joining.4.role": "member", "joining.4.sector": "media"})
    eq(r.status, 303, re.findall(r'field-error[^<]*', r.text))
    names = [x["person"] for x in api("GET", "/api/v1/councils/ncpt/composition?on=2026-11-02").json()["seats"]]
    assert "Person 123 Scaleuly" in names and "Person 299 Scaleuly" in names, names
    # the council's chair, on the operator's form: the whole registry of people was its select
    op = Client(C.server)
    op.login("operator", PW)
    r = op.get("/councils/ncpt/edit")
    eq(r.status, 200)
    assert "<datalist" not in r.text and "Scaleuly" not in r.text and len(r.body) < 20 * 1024, len(r.body)
    contains(r.text, 'name="chair_person_id" type="text" value="Kassym-Jomart Tokayev"')
    before = api("GET", "/api/v1/councils/ncpt").json()
    r = op.form("/councils/ncpt/edit", "/councils/ncpt/edit", {"slug": "ncpt", "name_en": "X", "timezone": "Asia/Almaty",
                                                               "chair_person_id": "scaleuly"})
    eq(r.status, 422)
    contains(html.unescape(r.text), "Several people match; give the number of one: Person 000 Scaleuly (")
    eq(api("GET", "/api/v1/councils/ncpt").json(), before)


def test_registry_search():
    """A visitor finds an agency among 804 by a word of its name in any language, in any case."""
    def slugs(q, extra=""):
        r = api("GET", "/api/v1/agencies?q=%s%s" % (urllib.parse.quote(q), extra))
        eq(r.status, 200, q)
        return r.json()["total"], [a["slug"] for a in r.json()["agencies"]]
    eq(slugs("АУДАН ӘКІМДІГІ 699"), (1, ["district-699"]), "Kazakh, upper case")
    total, found = slugs("акимат района 42")
    eq((total, found[0]), (11, "district-42"), "Russian: words start with each word asked (42, 420-429, not 142)")
    eq(slugs("  MINISTRY   finance "), (1, ["minfin"]), "English, several words")
    eq(slugs("minfin"), (1, ["minfin"]), "the short name")
    eq(slugs("no such words"), (0, []))
    total, _ = slugs("committee", "&kind=committee&limit=1")
    eq(total, COMMITTEES + 1, "the committees, and the State Revenue Committee")
    found, pages = walk_pages("/agencies?q=Committee&kind=committee", r"/agencies/(committee-\d+|kgd)")
    eq((len(found), len(set(found)), pages), (total, total, 2), "the search over its pages")
    r = C.client.get("/agencies?q=" + urllib.parse.quote("Аудан 699"))
    contains(r.text, 'href="/agencies/district-699"')
    contains(r.text, 'value="Аудан 699"')
    contains(C.client.get("/agencies?q=zzzz").text, "No agencies match.")
    eq(C.client.get("/agencies?q=" + "a" * 201).status, 400)
    eq(api("GET", "/api/v1/agencies?q=" + "a" * 201).json()["error"]["field"], "q")
    # the registry of people the same way, among 300 more
    def people(q, extra=""):
        r = api("GET", "/api/v1/people?q=%s%s" % (urllib.parse.quote(q), extra))
        eq(r.status, 200, q)
        return r.json()["total"], [p["name"] for p in r.json()["people"]]
    total, found = people("scaleuly 12")
    eq((total, found[0], found[-1]), (10, "Person 120 Scaleuly", "Person 129 Scaleuly"), "120-129, not 012")
    eq(people("ГҮЛМИРА ІЛЕУ"), (1, ["Gulmira Ileuova"]), "the name in Kazakh")
    eq(people("илеуова"), (1, ["Gulmira Ileuova"]), "the name in Russian")
    eq(people("scaleuly", "&limit=50&offset=250"), (300, ["Person %03d Scaleuly" % i for i in range(250, 300)]))
    eq(people("   "), people(""), "a blank search is no search")
    eq(api("GET", "/api/v1/people?q=" + "a" * 201).status, 400)
    page = C.client.get("/people?q=" + urllib.parse.quote("scaleuly 29"))
    eq(page.status, 200)
    eq(re.findall(r'<li><a href="/people/\d+">([^<]*)', page.text),
       ["Person 29%d Scaleuly" % i for i in range(10)], "29: 290-299, not 029")
    contains(page.text, 'name="q" type="search" value="scaleuly 29"')
    found, pages = walk_pages("/people?q=scaleuly", r"/people/\d+")
    eq((len(found), len(set(found)), pages), (300, 300, 3), "the search's pages")
    contains(C.client.get("/people?q=zzzz").text, "No one matches.")
    # the chair names the responsible agency the same way (the form no longer carries the registry)
    chair = Client(C.server)
    chair.login("chair", PW)
    page = chair.get("/councils/ncpt/assignments/new")
    eq((page.status, page.text.count("<datalist")), (200, 0))
    # nor every meeting of the council's years (a select of 260 was 11 KB of the form's 21 KB): the latest 100,
    # and an older one when the form is opened from that meeting's page
    assert len(page.body) < 15 * 1024, len(page.body)
    contains(page.text, "The latest 100 meetings are listed")
    total = api("GET", "/api/v1/councils/ncpt/meetings?limit=1").json()["total"]
    assert total > 100, total
    oldest = api("GET", "/api/v1/councils/ncpt/meetings?limit=1&offset=%d" % (total - 1)).json()["meetings"][0]
    page = chair.get("/councils/ncpt/assignments/new?meeting=%d" % oldest["id"])
    contains(page.text, '<option value="%d" selected>' % oldest["id"])
    r = chair.form("/councils/ncpt/assignments/new", "/councils/ncpt/assignments/new",
                   {"title": "Report on the committee's reform", "agency": "committee 78", "deadline": "2027-06-01"})
    eq(r.status, 303, r.text[:300])
    eq(api("GET", r.headers["location"].replace("/councils/", "/api/v1/councils/")).json()["agency"], "committee-78")
    r = chair.form("/councils/ncpt/assignments/new", "/councils/ncpt/assignments/new",
                   {"title": "Report again", "agency": "committee", "deadline": "2027-06-01"})
    eq(r.status, 422)
    contains(r.text, "Several agencies match")
    # the API takes the same words: an assignment and a forward, and the same errors, changing nothing
    r = api("POST", "/api/v1/councils/ncpt/assignments", {"title": "Report through the API", "agency": "Committee 77",
                                                          "deadline": "2027-06-01"}, "chair")
    eq(r.status, 201, r.text[:300])
    eq(r.json()["agency"], "committee-77")
    ref = make("/api/v1/councils/ncpt/appeals", {"subject": "Forwarded by words", "body": "Through the API.",
                                                 "category": "housing", "scale": "person", "visibility": "public"},
               "citizen")["reference"]
    before = api("GET", "/api/v1/councils/ncpt/assignments?limit=1").json()["total"]
    for path, body in (("/api/v1/councils/ncpt/assignments", {"title": "No", "agency": "committee",
                                                              "deadline": "2027-06-01"}),
                       ("/api/v1/councils/ncpt/appeals/%s/forward" % ref, {"agency": "committee"}),
                       ("/api/v1/councils/ncpt/appeals/%s/forward" % ref, {"agency": "no such words"})):
        r = api("POST", path, body, "chair" if "assignments" in path else "secretary")
        eq(r.status, 422, path)
        fields = {f["field"]: f["message"] for f in r.json()["error"]["fields"]}
        assert fields.get("agency", "").startswith(("Several agencies match", "No such agency.")), fields
    eq(api("GET", "/api/v1/councils/ncpt/assignments?limit=1").json()["total"], before)
    eq(api("GET", "/api/v1/councils/ncpt/appeals/" + ref, who="secretary").json()["agency"], None)
    r = api("POST", "/api/v1/councils/ncpt/appeals/%s/forward" % ref, {"agency": "АУДАН ӘКІМДІГІ 699"}, "secretary")
    eq(r.status, 200, r.text[:300])
    eq(api("GET", "/api/v1/councils/ncpt/appeals/" + ref, who="secretary").json()["agency"], "district-699")


def test_assignment_filter_lists_the_councils_agencies():
    r = C.client.get("/councils/ncpt/assignments")
    eq(r.status, 200)
    assert len(r.body) < BAR, "the assignments list is %d bytes" % len(r.body)
    select = re.search(r'<select[^>]*name="agency".*?</select>', r.text, re.S).group(0)
    offered = re.findall(r'<option value="([^"]*)"', select)
    for slug in ("mvd", "minfin", "kgd", "district-5"):
        assert slug in offered, "%s is not offered: %s" % (slug, offered)
    assert "district-6" not in offered and "region-0" not in offered, offered
    assert len(offered) < 15, offered
    # an agency chosen by its address is shown chosen, even with nothing here
    r = C.client.get("/councils/ncpt/assignments?agency=region-0")
    eq(r.status, 200)
    contains(r.text, '<option value="region-0" selected>')
    contains(r.text, "No assignments match.")
    # the co-executor's filter finds the assignment it shares
    r = C.client.get("/councils/ncpt/assignments?agency=district-5")
    contains(r.text, "Assignment 7: follow up")
    # the API names each row's agency
    d = api("GET", "/api/v1/councils/ncpt/assignments?limit=500").json()
    eq(sum(1 for a in d["assignments"] if a["agency"] is None), 0, "rows without their agency's slug")
    eq(C.client.get("/councils/national-kurultai/assignments").status, 200)


def test_meeting_attendance_offers_the_council():
    """A held meeting's attendance form offers the council's people on its date; where no seat is recorded
    for that date, those who have ever sat on the council, never the registry of people (it offered all of
    them: 50,330 selects, a 15 MB page, at 50,000 people)."""
    sec = Client(C.server)
    sec.login("secretary", PW)
    registry = api_total("/api/v1/people")
    assert registry > 300, registry
    r = api("POST", "/api/v1/councils/ncpt/meetings", {"kind": "plenary", "title": "Before any seat", "date": "1995-01-10",
                                                       "time": "10:00", "place": "Akorda"}, "secretary")
    eq(r.status, 201, r.text[:300])
    mid = r.json()["id"]
    eq(api("POST", "/api/v1/councils/ncpt/meetings/%d/held" % mid, None, "secretary").status, 200)
    page = sec.get("/councils/ncpt/meetings/%d" % mid)
    eq(page.status, 200)
    offered = set(re.findall(r'name="att_(\d+)"', page.text))
    sat = set(str(x["person_id"]) for x in api("GET", "/api/v1/councils/ncpt/seats?limit=1000", who="secretary")
              .json()["seats"])
    assert offered and offered <= sat, (len(offered), len(sat))
    assert len(page.body) < 60 * 1024, len(page.body)
    # marked by the form: then listed as marked, to the public too
    person = sorted(offered)[0]
    eq(sec.form("/councils/ncpt/meetings/%d" % mid, "/councils/ncpt/meetings/%d/attendance" % mid,
                {"att_" + person: "present"}).status, 303)
    eq([a["person_id"] for a in api("GET", "/api/v1/councils/ncpt/meetings/%d" % mid).json()["attendance"]],
       [int(person)])


def test_stop():
    C.suite.stop_server(C.server)


suite = Suite("test_scale " + LABEL)
C.suite = suite
suite.run(test_setup)
if suite.failed == 0:
    for t in (test_every_public_page_under_60kb, test_paged_lists_give_every_record_once,
              test_api_lists_page_through, test_appeal_work_lists_page_through, test_staff_forms_name_people,
              test_registry_search,
              test_assignment_filter_lists_the_councils_agencies, test_meeting_attendance_offers_the_council):
        suite.run(t)
if getattr(C, "server", None):
    suite.run(test_stop)
sys.exit(suite.summary())
