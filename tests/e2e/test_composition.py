#!/usr/bin/env python3
"""test_composition.py: end-to-end tests of composition, rotations, working
groups and people against the real binary.

usage: test_composition.py BINARY DB_URL LABEL
DB_URL must name an empty database. The test loads the demo (known password),
adds a secretary of another council, starts `kenes serve` on a loopback port
and drives the public pages, the secretary's forms (with CSRF), the JSON API
with a bearer token, a route x role table of every write, and bad input on
every form and API route (422 with the field, nothing changed).
"""
import html
import json
import os
import re
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Server, Suite, contains, eq  # noqa: E402

BIN, DB, LABEL = sys.argv[1], sys.argv[2], sys.argv[3]
PW = "demo-password-1"
ENV = {"KENES_DEMO_PASSWORD": PW}
C = "/councils/ncpt"
A = "/api/v1/councils/ncpt"


def run(*args, stdin=None, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([BIN] + list(args), input=stdin, capture_output=True, text=True, env=e, timeout=60)
    return p.returncode, p.stdout + p.stderr


def setup():
    rc, out = run("migrate", "--db", DB)
    eq(rc, 0, out)
    rc, out = run("demo", "--db", DB, env=ENV)
    eq(rc, 0, out)
    rc, out = run("user", "add", "sec-other", "--name", "Secretary of the Kurultai", "--db", DB, stdin=PW + "\n")
    eq(rc, 0, out)
    rc, out = run("role", "grant", "secretary", "sec-other", "--council", "national-kurultai", "--db", DB)
    eq(rc, 0, out)


# ---- helpers ------------------------------------------------------------------

_tokens = {}


def token(s, login):
    if login not in _tokens:
        r = Client(s).api("POST", "/api/v1/tokens", {"login": login, "password": PW, "name": "e2e"})
        eq(r.status, 201, "token for %s: %s" % (login, r.text[:200]))
        _tokens[login] = r.json()["token"]
    return _tokens[login]


_clients = {}


def client(s, login):
    if login not in _clients:
        c = Client(s)
        if login:
            c.login(login, PW)
        _clients[login] = c
    return _clients[login]


def api_get(s, path):
    r = Client(s).get(path)
    eq(r.status, 200, path)
    return r.json()


def person_id(s, name):
    for p in api_get(s, "/api/v1/people")["people"]:
        if p["name"] == name:
            return p["id"]
    raise AssertionError("no person " + name)


def seat_of(s, name, on="2021-06-01"):
    for st in api_get(s, A + "/composition?on=" + on)["seats"]:
        if st["person"] == name:
            return st["id"]
    raise AssertionError("%s has no seat on %s" % (name, on))


def snapshot(s):
    """Everything the composition API shows: equal before and after a refused write."""
    out = {}
    for p in ("/composition?on=2022-06-01", "/seats", "/rotations", "/groups", "/quotas"):
        out[p] = Client(s).get(A + p).text
    out["people"] = Client(s).get("/api/v1/people").text
    return out


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ---- public pages -----------------------------------------------------------------

def test_public_pages(s):
    c = Client(s)
    for path, parts in ((C + "/composition", ["Composition on 2022-06-15", "dissolved", "Member 14 (illustrative)",
                                              "of 44", "illustrative", "Sectors and quotas"]),
                        (C + "/composition?on=2020-06-01", ["Composition on 2020-06-01", "Berik Abdygaliuly",
                                                            "Member 8 (illustrative)"]),
                        (C + "/rotations", ["3 rotations", "2020-05-20", "2021-01-15", "elected to parliament",
                                            "Mazhilis of the Parliament, VII convocation"]),
                        (C + "/groups", ["Lineage", "Socio-cultural modernization", "Social modernization",
                                         "Spiritual and cultural modernization", "split on 2020-02-01"]),
                        (C + "/groups/socio-cultural", ["Became", "Social modernization", "History", "split"]),
                        (C + "/groups/social", ["Came from", "Socio-cultural modernization", "Gulmira Ileuova"]),
                        (C + "/groups/political", ["Political modernization", "Members"]),
                        (C, ["Composition", "Rotations", "Working groups", "3 rotations", "2020-10-15",
                             "14 council members", "of 44 member seats"]),
                        ("/people", ["Aidos Sarym"])):
        r = c.get(path)
        eq(r.status, 200, path)
        t = text(r.text)
        for p in parts:
            contains(t, p, path)
        assert len(r.body) < 60 * 1024, path + " over 60 KB"
        eq(r.headers.get("cache-control"), "public, max-age=30", path)
    now = text(c.get(C + "/composition").text)
    then = text(c.get(C + "/composition?on=2020-06-01").text)
    assert "Berik Abdygaliuly" not in now, "an elected member still sits after rotation 3"
    assert "Member 6 (illustrative)" not in then, "member 6 left in rotation 1"
    assert "Member 14 (illustrative)" not in then, "member 14 joined in rotation 3"
    contains(text(c.get(C + "/composition?on=2019-08-01").text), "quota not met", "no youth member before rotation 1")
    r = c.get(C + "/composition?on=2020-02-30")
    eq(r.status, 422)
    contains(r.text, 'id="e-on"')
    # the person page: seats, groups, later career, history
    pid = person_id(s, "Berik Abdygaliuly")
    t = text(c.get("/people/%d" % pid).text)
    for p in ("Deputy of the Mazhilis", "VII convocation", "from 2021-01-10", "elected to parliament",
              "Social modernization", "History", "later career recorded"):
        contains(t, p, "person page")
    eq(c.get("/people/999999").status, 404)
    # rotation and seat pages with their history
    rot = api_get(s, A + "/rotations")
    eq(rot["count"], 3)
    eq(sum(1 for x in rot["rotations"][2]["left"] if x["left_reason"] == "elected"), 9)
    r3 = c.get(C + "/rotations/%d" % rot["rotations"][2]["id"])
    eq(r3.status, 200)
    contains(text(r3.text), "Left (9)")
    contains(r3.text, "History")
    sid = rot["rotations"][0]["left"][0]["id"]
    t = text(c.get(C + "/seats/%d" % sid).text)
    contains(t, "rotation 1")
    contains(t, "ended")
    eq(c.get(C + "/seats/999999").status, 404)
    eq(c.get(C + "/groups/no-such-group").status, 404)


def test_api_read(s):
    last = api_get(s, A + "/composition")
    eq(last["on"], "2022-06-15", "a dissolved council: its last day")
    eq(last["last_day_before_dissolution"], True)
    comp = api_get(s, A + "/composition?on=2020-06-01")
    names = [x["person"] for x in comp["seats"]]
    assert "Berik Abdygaliuly" in names and "Member 6 (illustrative)" not in names
    eq(comp["member_seats"], 44)
    assert any(q["sector"] == "youth" and q["min_seats"] == 1 for q in comp["quotas"])
    early = api_get(s, A + "/composition?on=2019-08-01")
    assert any(w["sector"] == "youth" for w in early["warnings"]), early["warnings"]
    g = api_get(s, A + "/groups/social")
    eq([x["slug"] for x in g["came_from"]], ["socio-cultural"])
    sc = api_get(s, A + "/groups/socio-cultural")
    eq(sorted(x["slug"] for x in sc["became"]), ["social", "spiritual-cultural"])
    eq(sc["closed_reason"], "split")
    p = api_get(s, "/api/v1/people/%d" % person_id(s, "Aidos Sarym"))
    eq(p["careers"][0]["started_on"], "2021-01-10")
    eq(p["seats"][0]["left_reason"], "elected")
    deputies = 0
    for x in api_get(s, A + "/seats")["seats"]:
        deputies += x["left_reason"] == "elected"
    eq(deputies, 9)
    r = Client(s).get(A + "/composition?on=nope")
    eq(r.status, 422)
    eq(r.json()["error"]["fields"][0]["field"] if "fields" in r.json()["error"] else r.json()["error"]["field"], "on")


# ---- the secretary's rotation: form and API --------------------------------------------

def test_rotation_form(s):
    sec = client(s, "secretary")
    r = sec.get(C + "/rotations/new")
    eq(r.status, 200)
    seat = seat_of(s, "Member 9 (illustrative)")
    contains(r.text, 'name="leave.%d.reason"' % seat)
    contains(r.text, 'name="joining.4.sector"')
    assert len(r.body) < 60 * 1024
    r = sec.get(C + "/rotations/new?rows=8")
    contains(r.text, 'name="joining.8.sector"')
    r = sec.get(C + "/rotations/new?rows=99")
    contains(r.text, 'name="joining.12.sector"')
    assert 'name="joining.13.sector"' not in r.text
    assert len(r.body) < 60 * 1024, "the largest rotation form is over 60 KB"
    before = snapshot(s)
    # a bad joining row: the form comes back with the message, nothing saved
    r = sec.form(C + "/rotations/new", C + "/rotations/new", {
        "rows": "4", "held_on": "2022-01-10", "basis": "Decree (e2e)",
        "leave.%d.reason" % seat: "rotation",
        "joining.1.name": "E2E Joiner", "joining.1.role": "member", "joining.1.sector": "youth",
        "joining.3.name": "E2E Bad Row", "joining.3.role": "member", "joining.3.sector": "astrology"})
    eq(r.status, 422, r.text[:300])
    contains(r.text, 'id="e-joining.3.sector"')
    contains(r.text, "E2E Joiner", "the form keeps what was typed")
    eq(snapshot(s), before, "a refused rotation changed something")
    # without the CSRF token: refused
    r = sec.post(C + "/rotations/new", {"held_on": "2022-01-10", "leave.%d.reason" % seat: "rotation"})
    eq(r.status, 403)
    # the good one
    r = sec.form(C + "/rotations/new", C + "/rotations/new", {
        "rows": "4", "held_on": "2022-01-10", "basis": "Decree (e2e)",
        "leave.%d.reason" % seat: "rotation",
        "joining.2.name": "E2E Joiner", "joining.2.role": "member", "joining.2.sector": "youth",
        "joining.2.region": "Shymkent"})
    eq(r.status, 303, r.text[:400])
    loc = r.headers["location"]
    assert re.match(r"^/councils/ncpt/rotations/\d+$", loc), loc
    t = text(Client(s).get(loc).text)
    contains(t, "Member 9 (illustrative)")
    contains(t, "E2E Joiner")
    contains(t, "Decree (e2e)")
    eq(api_get(s, A + "/rotations")["count"], 4)
    names = [x["person"] for x in api_get(s, A + "/composition?on=2022-01-10")["seats"]]
    assert "E2E Joiner" in names and "Member 9 (illustrative)" not in names, names
    names = [x["person"] for x in api_get(s, A + "/composition?on=2022-01-09")["seats"]]
    assert "E2E Joiner" not in names and "Member 9 (illustrative)" in names


def test_rotation_api(s):
    tok = token(s, "secretary")
    c = Client(s)
    seat = seat_of(s, "Member 12 (illustrative)")
    m7 = person_id(s, "Member 7 (illustrative)")
    before = snapshot(s)
    bad = {"held_on": "2022-02-01", "leaving": [{"seat_id": seat, "reason": "elected"}],
           "joining": [{"person_id": m7, "sector": "media"}, {"name": "", "sector": "media"}]}
    r = c.api("POST", A + "/rotations", bad, token=tok)
    eq(r.status, 422, r.text)
    fields = [f["field"] for f in r.json()["error"]["fields"]]
    assert "leaving.1.body" in fields and "joining.2.person_id" in fields, fields
    eq(snapshot(s), before)
    # a person already seated cannot join
    r = c.api("POST", A + "/rotations", {"held_on": "2022-02-01",
                                          "joining": [{"person_id": person_id(s, "Gulmira Ileuova"),
                                                       "sector": "expert"}]}, token=tok)
    eq(r.status, 422)
    eq(snapshot(s), before)
    good = {"held_on": "2022-02-01", "basis": "API rotation",
            "leaving": [{"seat_id": seat, "reason": "elected", "body": "Maslikhat of Almaty"}],
            "joining": [{"person_id": m7, "sector": "media", "region": "Almaty"}]}
    r = c.api("POST", A + "/rotations", good, token=tok)
    eq(r.status, 201, r.text)
    j = r.json()
    eq(j["number"], 5)
    eq(j["left"][0]["left_body"], "Maslikhat of Almaty")
    eq(j["joined"][0]["person"], "Member 7 (illustrative)")
    assert isinstance(j["warnings"], list)
    # Member 7 now holds a second, later seat: the person page lists both
    p = api_get(s, "/api/v1/people/%d" % m7)
    eq(len(p["seats"]), 2)


# ---- people named by words in the staff forms ---------------------------------------------------

def test_person_by_name(s):
    """The person fields of the seat, rotation and group forms take a name,
    words of it only one person has, or a number; the small demo registry is
    offered as a datalist. No one or several: the form comes back naming them,
    and nothing is written."""
    sec = client(s, "secretary")
    tok = token(s, "secretary")
    c = Client(s)
    for name in ("Zhanna Pickova", "Zhanna Pickbaeva", "Askar Pickov"):
        r = c.api("POST", A + "/people", {"full_name": name}, token=tok)
        eq(r.status, 201, r.text)
    page = sec.get(C + "/seats/new").text
    contains(page, '<datalist id="people-can-join">')
    contains(page, '<option value="Zhanna Pickova">')
    contains(page, 'list="people-can-join"')
    assert "<select id=\"f-person_id\"" not in page
    before = snapshot(s)
    for key, msg in (("zhanna", "Several people match; give the number of one: Zhanna Pickbaeva ("),
                     ("  PICK  ", "Several people match"),
                     ("zhanna nobody", "No such person among those who can take a seat here"),
                     ("Gulmira Ileuova", "No such person among those who can take a seat here")):
        r = sec.form(C + "/seats/new", C + "/seats/new", {"person_id": key, "role": "member", "sector": "ngo",
                                                          "joined_on": "2022-07-01"})
        eq(r.status, 422, key)
        contains(r.text, 'id="e-person_id"', key)
        contains(html.unescape(r.text), msg, key)
        contains(r.text, 'value="%s"' % html.escape(key), "the form keeps what was typed")
        eq(snapshot(s), before, key)
    # words only one name has; case and order do not matter
    r = sec.form(C + "/seats/new", C + "/seats/new", {"person_id": "PICKOVA zhanna", "role": "member",
                                                      "sector": "ngo", "joined_on": "2022-07-01"})
    eq(r.status, 303, text(r.text)[:300])
    names = [x["person"] for x in api_get(s, A + "/composition?on=2022-07-01")["seats"]]
    assert "Zhanna Pickova" in names and "Zhanna Pickbaeva" not in names, names
    # the name in Russian or Kazakh too, as the registry's search reads it
    r = c.api("POST", A + "/people", {"full_name": "Dana Pickerova", "full_name_ru": "Дана Пикерова",
                                      "full_name_kk": "Дана Пікерова"}, token=tok)
    eq(r.status, 201, r.text)
    r = sec.form(C + "/seats/new", C + "/seats/new", {"person_id": "ПІКЕРОВА", "role": "member", "sector": "ngo",
                                                      "joined_on": "2022-07-01"})
    eq(r.status, 303, text(r.text)[:300])
    names = [x["person"] for x in api_get(s, A + "/composition?on=2022-07-01")["seats"]]
    assert "Dana Pickerova" in names, names
    # a rotation row: by words, and an error on the row that named no one
    before = snapshot(s)
    r = sec.form(C + "/rotations/new", C + "/rotations/new", {
        "rows": "4", "held_on": "2022-07-02", "joining.2.person_id": "pickbaeva", "joining.2.role": "member", "joining.2.sector": "media",
        "joining.3.person_id": "nobody pick", "joining.3.role": "member", "joining.3.sector": "media"})
    eq(r.status, 422)
    contains(r.text, 'id="e-joining.3.person_id"')
    assert 'id="e-joining.2.person_id"' not in r.text
    eq(snapshot(s), before)
    r = sec.form(C + "/rotations/new", C + "/rotations/new", {
        "rows": "4", "held_on": "2022-07-02", "basis": "By name (e2e)",
        "joining.2.person_id": "pickbaeva", "joining.2.role": "member", "joining.2.sector": "media"})
    eq(r.status, 303, re.findall(r'field-error[^<]*', r.text))
    names = [x["person"] for x in api_get(s, A + "/composition?on=2022-07-02")["seats"]]
    assert "Zhanna Pickbaeva" in names, names
    # a working group's leader and member: among those who sat on the council
    r = sec.form(C + "/groups/new", C + "/groups/new", {"slug": "by-name", "name_en": "By name",
                                                        "created_on": "2022-07-03", "leader_person_id": "askar"})
    eq(r.status, 422)
    contains(r.text, "No such person among those who have sat on this council.")
    r = sec.form(C + "/groups/new", C + "/groups/new", {"slug": "by-name", "name_en": "By name",
                                                        "created_on": "2022-07-03", "leader_person_id": "pickova"})
    eq(r.status, 303, text(r.text)[:300])
    r = sec.form(C + "/groups/by-name/members/add", C + "/groups/by-name/members/add",
                 {"person_id": "zhanna", "joined_on": "2022-07-03"})
    eq(r.status, 422)
    contains(html.unescape(r.text), "Zhanna Pickova (%d)" % person_id(s, "Zhanna Pickova"))
    r = sec.form(C + "/groups/by-name/members/add", C + "/groups/by-name/members/add",
                 {"person_id": str(person_id(s, "Zhanna Pickbaeva")), "joined_on": "2022-07-03"})
    eq(r.status, 303, text(r.text)[:300])
    g = api_get(s, A + "/groups/by-name")
    got = sorted(m["person"] for m in g["members"])
    eq(g["leader"], "Zhanna Pickova")
    eq(got, ["Zhanna Pickbaeva", "Zhanna Pickova"])


# ---- route x role table ----------------------------------------------------------------------

ROLES = ("anonymous", "citizen", "member", "chair", "operator", "sec-other", "secretary")


def write_routes(s):
    """(kind, path, valid payload) for every write route, in an order where
    each valid payload works for the secretary."""
    ileuova = person_id(s, "Gulmira Ileuova")
    askerov = person_id(s, "Emin Askerov")
    return [
        ("form", C + "/people/new", lambda: {"full_name": "Matrix Person"}),
        ("api", ("POST", A + "/people"), lambda: {"full_name": "Matrix Person API"}),
        ("form", C + "/seats/new", lambda: {"person_id": str(person_id(s, "Matrix Person")), "role": "member",
                                            "sector": "other", "joined_on": "2022-03-01"}),
        ("api", ("POST", A + "/seats"), lambda: {"person_id": person_id(s, "Matrix Person API"), "role": "member",
                                                 "sector": "other", "joined_on": "2022-03-01"}),
        ("form", lambda: C + "/seats/%d/end" % seat_of(s, "Matrix Person", "2022-03-01"),
         lambda: {"left_on": "2022-04-01", "reason": "resignation"}),
        ("api", lambda: ("POST", A + "/seats/%d/end" % seat_of(s, "Matrix Person API", "2022-03-01")),
         lambda: {"left_on": "2022-04-01", "reason": "end_of_term"}),
        ("form", C + "/quotas", lambda: {"quota_expert": "3", "quota_ngo": "2", "quota_youth": "1"}),
        ("api", ("PUT", A + "/quotas"), lambda: {"expert": 3, "ngo": 2, "media": 1, "business": 1, "culture": 1,
                                                  "youth": 1}),
        ("form", C + "/rotations/new", lambda: {"held_on": "2022-04-15", "joining.1.name": "Matrix Joiner",
                                                "joining.1.role": "member", "joining.1.sector": "ngo"}),
        ("api", ("POST", A + "/rotations"), lambda: {"held_on": "2022-04-20",
                                                     "joining": [{"name": "Matrix Joiner API", "sector": "ngo"}]}),
        ("form", C + "/groups/new", lambda: {"slug": "matrix", "name_en": "Matrix group", "theme": "other",
                                             "created_on": "2022-01-01"}),
        ("api", ("POST", A + "/groups"), lambda: {"slug": "matrix-api", "name": {"en": "Matrix API"},
                                                  "created_on": "2022-01-01"}),
        ("form", C + "/groups/matrix/members/add", lambda: {"person_id": str(ileuova), "joined_on": "2022-01-02"}),
        ("api", ("POST", A + "/groups/matrix-api/members"), lambda: {"person_id": askerov, "joined_on": "2022-01-02"}),
        ("form", C + "/groups/matrix/leader", lambda: {"leader_person_id": str(ileuova)}),
        ("api", ("PUT", A + "/groups/matrix-api/leader"), lambda: {"person_id": askerov}),
        ("form", C + "/groups/matrix/members/remove", lambda: {"person_id": str(ileuova), "left_on": "2022-01-03"}),
        ("api", ("POST", A + "/groups/matrix-api/members/%d/remove" % askerov), lambda: {"left_on": "2022-01-03"}),
        ("form", C + "/groups/matrix/split", lambda: {
            "parts": "2", "on": "2022-01-05", "part.1.slug": "matrix-a", "part.1.name_en": "Matrix A",
            "part.2.slug": "matrix-b", "part.2.name_en": "Matrix B"}),
        ("api", ("POST", A + "/groups/matrix-api/split"), lambda: {
            "on": "2022-01-05", "parts": [{"slug": "matrix-api-a", "name": {"en": "A"}},
                                          {"slug": "matrix-api-b", "name": {"en": "B"}}]}),
        ("form", C + "/groups/merge", lambda: [("groups", str(group_id(s, "matrix-a"))),
                                               ("groups", str(group_id(s, "matrix-b"))),
                                               ("slug", "matrix-ab"), ("name_en", "Matrix AB"),
                                               ("created_on", "2022-02-01")]),
        ("api", ("POST", A + "/groups/merge"), lambda: {"groups": ["matrix-api-a", "matrix-api-b"],
                                                        "slug": "matrix-api-ab", "name": {"en": "AB"},
                                                        "created_on": "2022-02-01"}),
        ("form", C + "/groups/matrix-ab/close", lambda: {"closed_on": "2022-03-01"}),
        ("api", ("POST", A + "/groups/matrix-api-ab/close"), lambda: {"closed_on": "2022-03-01"}),
        ("form", lambda: C + "/people/%d/career" % person_id(s, "Matrix Person"),
         lambda: {"position": "Akim", "body": "Akimat", "started_on": "2022-05-01"}),
        ("api", lambda: ("POST", A + "/people/%d/careers" % person_id(s, "Matrix Person API")),
         lambda: {"position": "Deputy", "body": "Maslikhat", "started_on": "2022-05-01"}),
        ("form", lambda: C + "/people/%d/account" % person_id(s, "Matrix Person"), lambda: {"login": "citizen"}),
        ("api", lambda: ("PUT", A + "/people/%d/account" % person_id(s, "Matrix Person API")),
         lambda: {"login": "sec-other"}),
    ]


def group_id(s, slug):
    return api_get(s, A + "/groups/" + slug)["id"]


def encode(fields):
    return urllib.parse.urlencode(fields)


def attempt(s, role, kind, target, payload):
    """One write as role; returns the status."""
    if kind == "form":
        c = client(s, None if role == "anonymous" else role)
        r = c.get(target)  # the form page itself
        if role == "secretary":
            eq(r.status, 200, "GET " + target)
        tok = r.csrf() or c.get("/councils").csrf() or "x" * 32
        fields = list(payload.items()) if isinstance(payload, dict) else list(payload)
        fields.append(("csrf", tok))
        r2 = c.post(target, encode(fields), ctype="application/x-www-form-urlencoded")
        if role != "secretary":
            eq(r2.status, r.status, "GET and POST agree for %s on %s" % (role, target))
        if r2.status == 303 and role == "anonymous":
            contains(r2.headers["location"], "/login?next=")
        if r2.status == 422:
            print("       422 body:", text(r2.text)[:400])
        return r2.status
    method, path = target
    tok = None if role == "anonymous" else token(s, role)
    r = Client(s).api(method, path, payload, token=tok)
    if r.status >= 400 and role == "secretary":
        print("       %s %s: %s" % (method, path, r.text[:300]))
    return r.status


def test_route_role_table(s):
    expected = {"anonymous": (303, 401), "citizen": (403, 403), "member": (403, 403), "chair": (403, 403),
                "operator": (403, 403), "sec-other": (403, 403), "secretary": (303, (200, 201))}
    rows = []
    for kind, target, payload in write_routes(s):
        for role in ROLES:
            before = snapshot(s) if role != "secretary" else None
            t = target() if callable(target) else target
            got = attempt(s, role, kind, t, payload())
            want = expected[role][0 if kind == "form" else 1]
            ok = got in want if isinstance(want, tuple) else got == want
            rows.append((kind, t if kind == "form" else "%s %s" % t, role, got, ok))
            assert ok, "%s %s as %s: %d, expected %s" % (kind, t, role, got, want)
            if before is not None:
                eq(snapshot(s), before, "a refused %s %s as %s changed something" % (kind, t, role))
    print("       route x role: %d cells checked" % len(rows))
    # the results are visible
    g = api_get(s, A + "/groups/matrix-ab")
    eq(sorted(x["slug"] for x in g["came_from"]), ["matrix-a", "matrix-b"])
    eq(g["closed_reason"], "dissolved")
    p = api_get(s, "/api/v1/people/%d" % person_id(s, "Matrix Person"))
    eq(p["has_account"], True)
    eq(p["careers"][0]["position"], "Akim")
    q = api_get(s, A + "/quotas")
    eq([x["min_seats"] for x in q["quotas"] if x["sector"] == "media"], [1])


# ---- bad input on every form and API route ----------------------------------------------------

def test_bad_input(s):
    sec = client(s, "secretary")
    tok = token(s, "secretary")
    ileuova = person_id(s, "Gulmira Ileuova")
    open_seat = seat_of(s, "Gulmira Ileuova", "2022-03-01")
    ended = seat_of(s, "Matrix Person", "2022-03-01")
    mp = person_id(s, "Matrix Person")
    forms = [
        (C + "/people/new", {"full_name": ""}, "full_name"),
        (C + "/people/new", {"full_name": "x" * 400}, "full_name"),
        (C + "/seats/new", {"role": "member", "sector": "", "joined_on": "2022-01-01"}, "person_id"),
        (C + "/seats/new", {"person_id": str(ileuova), "role": "member", "sector": "expert",
                            "joined_on": "2022-01-01"}, "person_id"),
        (C + "/seats/new", {"person_id": str(mp), "role": "emperor", "sector": "expert", "joined_on": "2022-05-01"},
         "role"),
        (C + "/seats/new", {"full_name": "X", "person_id": str(mp), "role": "member", "sector": "expert",
                            "joined_on": "2022-05-01"}, "full_name"),
        (C + "/seats/%d/end" % open_seat, {"left_on": "2022-05-01", "reason": "elected", "body": ""}, "body"),
        (C + "/seats/%d/end" % open_seat, {"left_on": "1990-01-01", "reason": "rotation"}, "left_on"),
        (C + "/quotas", {"quota_expert": "many"}, "quota_expert"),
        (C + "/quotas", {"quota_expert": "45"}, "quota_expert"),
        (C + "/rotations/new", {"held_on": "2022-13-01", "leave.%d.reason" % open_seat: "rotation"}, "held_on"),
        (C + "/rotations/new", {"held_on": "2022-06-01", "leave.%d.body" % open_seat: "Senate"},
         "leave.%d.reason" % open_seat),
        (C + "/rotations/new", {"held_on": "2022-06-01", "leave.%d.reason" % open_seat: "elected"},
         "leave.%d.body" % open_seat),
        (C + "/rotations/new", {"held_on": "2022-06-01", "leave.%d.reason" % ended: "rotation"},
         "!This seat has already ended."),
        (C + "/rotations/new", {"held_on": "2022-06-01", "joining.4.person_id": "999999",
                                "joining.4.sector": "ngo"}, "joining.4.person_id"),
        (C + "/groups/new", {"slug": "Bad Slug!", "name_en": "X", "created_on": "2022-01-01"}, "slug"),
        (C + "/groups/new", {"slug": "political", "name_en": "Dup", "created_on": "2022-01-01"}, "slug"),
        (C + "/groups/new", {"slug": "ok-slug", "name_en": "", "created_on": "2022-01-01"}, "name_en"),
        (C + "/groups/political/members/add", {"person_id": str(mp), "joined_on": "2022-05-01"}, "person_id"),
        (C + "/groups/political/members/add", {"person_id": str(ileuova), "joined_on": "nope"}, "joined_on"),
        (C + "/groups/political/members/remove", {"person_id": str(mp), "left_on": "2022-05-01"}, "person_id"),
        (C + "/groups/political/leader", {"leader_person_id": str(mp)}, "leader_person_id"),
        (C + "/groups/political/split", {"parts": "2", "on": "2022-05-01", "part.1.slug": "p-a",
                                         "part.1.name_en": "A", "part.2.slug": "p-a", "part.2.name_en": "B"},
         "part.2.slug"),
        (C + "/groups/political/split", {"parts": "2", "on": "", "part.1.slug": "p-a", "part.1.name_en": "A",
                                         "part.2.slug": "p-b", "part.2.name_en": "B"}, "on"),
        (C + "/groups/merge", {"slug": "m", "name_en": "M", "created_on": "2022-05-01", "groups": "political"},
         "groups"),
        (C + "/groups/political/close", {"closed_on": "2000-01-01"}, "closed_on"),
        (C + "/people/%d/career" % mp, {"position": "", "started_on": "2022-02-30"}, "position"),
        (C + "/people/%d/career" % mp, {"position": "P", "started_on": "2022-02-30"}, "started_on"),
        (C + "/people/%d/account" % person_id(s, "Gulmira Ileuova"), {"login": "no-such-login"}, "login"),
        (C + "/people/%d/account" % mp, {"login": "citizen"}, "login"),
    ]
    for path, fields, field in forms:
        before = snapshot(s)
        r = sec.form(path, path, fields)
        eq(r.status, 422, "%s %s: %s" % (path, fields, text(r.text)[:300]))
        if field.startswith("!"):
            contains(r.text, field[1:], path)  # a row no longer on the form: the message at the top
        else:
            contains(r.text, 'id="e-%s"' % field, path)
        contains(r.text, "Please correct the following", path)
        eq(snapshot(s), before, "bad input on %s changed something" % path)
    apis = [
        ("POST", A + "/people", {"full_name": 5}, "full_name"),
        ("POST", A + "/seats", {"person_id": "x", "role": "member", "sector": "expert", "joined_on": "2022-01-01"},
         "person_id"),
        ("POST", A + "/seats", {"person": {"full_name": ""}, "role": "member", "sector": "expert",
                                "joined_on": "2022-01-01"}, "full_name"),
        ("POST", A + "/seats", {"person_id": ileuova, "role": "member", "sector": "expert",
                                "joined_on": "2022-01-01"}, "person_id"),
        ("POST", A + "/seats/%d/end" % open_seat, {"left_on": "2022-05-01"}, "reason"),
        ("PUT", A + "/quotas", {"expert": -1}, "expert"),
        ("PUT", A + "/quotas", {"wizards": 1}, "wizards"),
        ("POST", A + "/rotations", {"held_on": "2022-06-01", "leaving": "all"}, "leaving"),
        ("POST", A + "/rotations", {"held_on": "2022-06-01", "joining": [{"name": "Z", "sector": "x"}]},
         "joining.1.sector"),
        ("POST", A + "/rotations", {"held_on": "2020-01-01", "joining": [{"name": "Z", "sector": "ngo"}]}, "held_on"),
        ("POST", A + "/groups", {"slug": "x y", "name": {"en": "X"}, "created_on": "2022-01-01"}, "slug"),
        ("POST", A + "/groups", {"slug": "xy", "name": "X", "created_on": "2022-01-01"}, "name"),
        ("POST", A + "/groups/merge", {"groups": ["political", "nope"], "slug": "m", "name": {"en": "M"},
                                       "created_on": "2022-05-01"}, "groups"),
        ("POST", A + "/groups/political/split", {"on": "2022-05-01", "parts": [{"slug": "only", "name": {"en": "O"}}]},
         "parts"),
        ("POST", A + "/groups/political/close", {"closed_on": 20220101}, "closed_on"),
        ("POST", A + "/groups/political/members", {"person_id": mp, "joined_on": "2022-05-01"}, "person_id"),
        ("POST", A + "/groups/political/members/%d/remove" % mp, {"left_on": "2022-05-01"}, "person_id"),
        ("PUT", A + "/groups/political/leader", {"person_id": mp}, "leader_person_id"),
        ("POST", A + "/people/%d/careers" % mp, {"position": ["x"]}, "position"),
        ("PUT", A + "/people/%d/account" % mp, {"login": "operator"}, "login"),
    ]
    c = Client(s)
    for method, path, body, field in apis:
        before = snapshot(s)
        r = c.api(method, path, body, token=tok)
        eq(r.status, 422, "%s %s %s: %s" % (method, path, body, r.text[:300]))
        err = r.json()["error"]
        fields = [f.get("field") for f in err.get("fields", [])] + [err.get("field")]
        assert field in fields, "%s %s: %r not in %r" % (method, path, field, fields)
        eq(snapshot(s), before, "bad input on %s %s changed something" % (method, path))
    # not JSON; unknown council, seat, group and person
    r = c.request("POST", A + "/rotations", body="{", headers={"Authorization": "Bearer " + tok},
                  ctype="application/json")
    eq(r.status, 400)
    eq(c.api("POST", A + "/seats/999999/end", {"left_on": "2022-05-01", "reason": "other"}, token=tok).status, 404)
    eq(c.api("POST", A + "/groups/nope/close", {"closed_on": "2022-05-01"}, token=tok).status, 404)
    eq(c.api("POST", A + "/people/999999/careers", {"position": "x"}, token=tok).status, 404)
    # a person who never sat on this council: 404 for its secretary
    stranger = c.api("POST", A + "/people", {"full_name": "Never Seated"}, token=tok).json()["id"]
    eq(c.api("POST", A + "/people/%d/careers" % stranger, {"position": "x"}, token=tok).status, 404)
    eq(sec.get(C + "/people/%d/career" % stranger).status, 404)


def test_openapi_lists_routes(s):
    doc = api_get(s, "/api/v1/openapi.json")
    for path, method in (("/api/v1/councils/{council}/rotations", "post"),
                         ("/api/v1/councils/{council}/composition", "get"),
                         ("/api/v1/councils/{council}/groups/{group}/split", "post"),
                         ("/api/v1/people/{id}", "get")):
        assert method in doc["paths"][path], path


def main():
    suite = Suite("e2e-composition[%s]" % LABEL)
    suite.run(setup)
    if suite.failed:
        return suite.summary()
    srv = Server(BIN, DB)
    try:
        for t in (test_public_pages, test_api_read, test_rotation_form, test_rotation_api, test_route_role_table,
                  test_bad_input, test_person_by_name, test_openapi_lists_routes):
            suite.run(t, srv)
    finally:
        rc = srv.stop()
    if rc != 0:
        print("  FAIL server exit status %s\n%s" % (rc, srv.log()))
        suite.failed += 1
    rc, out = run("verify", "--db", DB)
    if rc != 0:
        print("  FAIL kenes verify: " + out)
        suite.failed += 1
    else:
        suite.run(test_verify_sees_tampering)
    return suite.summary()


def test_verify_sees_tampering():
    """Seats, rotations and groups are replayed from their events: an edit
    behind the log's back is caught (SQLite: edited with the sqlite3 tool)."""
    contains(run("verify", "--db", DB)[1], "records match their events")
    if not DB.startswith("sqlite:"):
        return
    path = DB[len("sqlite:"):]
    for sql, kind in (("UPDATE seats SET sector = 'media' WHERE id = 2", "seat 2"),
                      ("UPDATE working_groups SET closed_on = NULL WHERE slug = 'socio-cultural'", "group"),
                      ("UPDATE rotations SET held_on = '2020-05-21' WHERE number = 1", "rotation")):
        undo = subprocess.run(["sqlite3", path, "SELECT 1"], capture_output=True, text=True)
        eq(undo.returncode, 0, "sqlite3 tool")
        subprocess.run(["cp", path, path + ".bak"], check=True)
        subprocess.run(["sqlite3", path, sql], check=True)
        rc, out = run("verify", "--db", DB)
        assert rc != 0, "verify missed: " + sql
        contains(out, kind)
        subprocess.run(["mv", path + ".bak", path], check=True)
    rc, out = run("verify", "--db", DB)
    eq(rc, 0, out)


if __name__ == "__main__":
    sys.exit(main())
