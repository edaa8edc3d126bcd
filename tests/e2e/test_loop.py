#!/usr/bin/env python3
"""test_loop.py: end-to-end tests of the council loop against the real binary.

usage: test_loop.py BINARY DB_URL LABEL
DB_URL must name an empty database. The test loads the demo (known password),
adds a secretary of another council, starts `kenes serve --test-clock` and
moves the server's clock with POST /api/v1/_test/clock as the operator. It
checks who may call every write route (a table of route x role x status),
bad input on the forms and the API, the whole loop over HTTP ending
"completed on time", another ending "late", and the demo's figures.
"""
import calendar
import datetime
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Server, Suite, contains, eq  # noqa: E402

BIN, DB, LABEL = sys.argv[1], sys.argv[2], sys.argv[3]
PW = "demo-password-1"
ENV = {"KENES_DEMO_PASSWORD": PW}
# noon in Almaty (UTC+5 since 2024) on 2030-01-10
T0 = calendar.timegm((2030, 1, 10, 7, 0, 0))
DAY = 86400

ROLES = ["anonymous", "citizen", "member", "officer-kgd", "officer", "secretary", "chair", "other-secretary"]
LOGIN = {r: r for r in ROLES}
LOGIN["other-secretary"] = "other-sec"


def run(*args, stdin=None):
    e = dict(os.environ)
    e.update(ENV)
    p = subprocess.run([BIN] + list(args), input=stdin, capture_output=True, text=True, env=e, timeout=120)
    return p.returncode, p.stdout + p.stderr


def day(t):
    """The civil date in Almaty (UTC+5 after 2024) of unix time t."""
    return datetime.datetime.utcfromtimestamp(t + 5 * 3600).strftime("%Y-%m-%d")


class Ctx:
    pass


C = Ctx()


def token(s, login):
    r = Client(s).api("POST", "/api/v1/tokens", {"login": login, "password": PW, "name": "loop"})
    eq(r.status, 201, r.text)
    return r.json()["token"]


def api(method, path, obj=None, who=None):
    return C.client.api(method, path, obj, token=C.tok.get(who) if who else None)


def clock(t):
    r = api("POST", "/api/v1/_test/clock", {"now": t}, "operator")
    eq(r.status, 200, r.text)


# ---- setup ---------------------------------------------------------------------

def setup():
    rc, out = run("migrate", "--db", DB)
    assert rc == 0, out
    rc, out = run("demo", "--db", DB)
    assert rc == 0, out
    rc, out = run("user", "add", "other-sec", "--name", "Kurultai secretariat", "--db", DB, stdin=PW + "\n")
    assert rc == 0, out
    rc, out = run("role", "grant", "secretary", "other-sec", "--council", "national-kurultai", "--db", DB)
    assert rc == 0, out


# ---- the demo ------------------------------------------------------------------

def test_demo_figures():
    c = Client(C.srv)
    st = c.get("/api/v1/councils/ncpt/statistics").json()
    eq(st["plenary_meetings_held"], 5, "plenary")
    eq(st["individual_meetings_held"], 24, "individual")
    eq(st["laws_adopted"], 7, "laws")
    eq(st["assignments_on_time"], 1, "on time")
    r = c.get("/api/v1/councils/ncpt/assignments?agency=mvd")
    a = r.json()["assignments"][0]
    eq(a["timing"], "on_time")
    full = c.get(a["url"].replace("/councils", "/api/v1/councils")).json()
    actuals = [i["actual"] for rep in full["reports"] for i in rep["indicators"]]
    eq(sorted(actuals), ["+129", "+448"])
    page = c.get("/councils/ncpt/statistics").text
    contains(page, "Plenary meetings held")
    m5 = c.get("/councils/ncpt/meetings?kind=plenary").text
    contains(m5, "5th plenary meeting")
    r = c.get(a["url"])
    eq(r.status, 200)
    contains(r.text, "ON TIME")
    contains(r.text, "Illustrative.")
    contains(r.text, 'id="history"')
    contains(c.get("/councils/ncpt/meetings/5").text, "2.5 thousand crimes against women")
    contains(c.get("/agencies/mvd/scorecard").text, "100%")
    ref = c.get("/councils/ncpt/reforms").text
    contains(ref, "7 / 7")
    for p in ("/councils/ncpt/meetings", "/councils/ncpt/proposals", "/councils/ncpt/assignments",
              "/councils/ncpt/reforms", "/councils/ncpt/statistics", "/councils/ncpt/meetings/5",
              "/councils/ncpt/reforms/1", "/agencies/mvd/scorecard"):
        r = c.get(p)
        eq(r.status, 200, p)
        assert len(r.body) < 60000, "%s is %d bytes" % (p, len(r.body))


# ---- who may call what ----------------------------------------------------------

# (method, path, allowed roles); ids 1 exist in the demo (meeting 1, proposal 1,
# assignment 1, reform 1, law 1, extension 999 does not: allowed roles get 404)
API_WRITES = [
    ("POST", "/api/v1/councils/ncpt/meetings", {"secretary"}),
    ("PUT", "/api/v1/councils/ncpt/meetings/1", {"secretary"}),
    ("POST", "/api/v1/councils/ncpt/meetings/1/agenda", {"secretary"}),
    ("DELETE", "/api/v1/councils/ncpt/meetings/1/agenda/1", {"secretary"}),
    ("PUT", "/api/v1/councils/ncpt/meetings/1/attendance", {"secretary"}),
    ("PUT", "/api/v1/councils/ncpt/meetings/1/minutes", {"secretary"}),
    ("POST", "/api/v1/councils/ncpt/meetings/1/held", {"secretary"}),
    ("POST", "/api/v1/councils/ncpt/meetings/1/cancel", {"secretary"}),
    ("POST", "/api/v1/councils/ncpt/proposals", {"citizen", "member", "officer-kgd", "officer", "secretary", "chair",
                                                 "other-secretary"}),
    ("PUT", "/api/v1/councils/ncpt/proposals/1", {"member", "secretary", "chair"}),
    ("POST", "/api/v1/councils/ncpt/proposals/1/submit", {"member", "secretary", "chair"}),
    ("POST", "/api/v1/councils/ncpt/proposals/1/cosign", {"member", "secretary", "chair"}),
    ("POST", "/api/v1/councils/ncpt/proposals/1/take-up", {"member", "secretary", "chair"}),
    ("POST", "/api/v1/councils/ncpt/proposals/1/withdraw", {"member", "secretary", "chair"}),
    ("POST", "/api/v1/councils/ncpt/proposals/1/review", {"secretary", "chair"}),
    ("POST", "/api/v1/councils/ncpt/proposals/1/accept", {"secretary", "chair"}),
    ("POST", "/api/v1/councils/ncpt/proposals/1/reject", {"secretary", "chair"}),
    ("POST", "/api/v1/councils/ncpt/assignments", {"secretary", "chair"}),
    ("POST", "/api/v1/councils/ncpt/assignments/1/accept", {"secretary", "chair"}),
    ("POST", "/api/v1/councils/ncpt/assignments/1/return", {"secretary", "chair"}),
    ("POST", "/api/v1/councils/ncpt/assignments/1/withdraw", {"chair"}),
    ("POST", "/api/v1/councils/ncpt/assignments/1/extensions/999/grant", {"chair"}),
    ("POST", "/api/v1/councils/ncpt/assignments/1/extensions/999/refuse", {"chair"}),
    ("POST", "/api/v1/agencies/mvd/assignments/1/start", {"officer"}),
    ("POST", "/api/v1/agencies/mvd/assignments/1/reports", {"officer"}),
    ("POST", "/api/v1/agencies/mvd/assignments/1/extensions", {"officer"}),
    ("GET", "/api/v1/agencies/mvd/queue", {"officer"}),
    ("POST", "/api/v1/councils/ncpt/reforms", {"secretary"}),
    ("POST", "/api/v1/councils/ncpt/reforms/1/items", {"secretary"}),
    ("POST", "/api/v1/councils/ncpt/reforms/1/laws", {"secretary"}),
    ("POST", "/api/v1/councils/ncpt/laws/1/stage", {"secretary"}),
]

PAGE_WRITES = [
    ("/councils/ncpt/meetings/new", {"secretary"}),
    ("/councils/ncpt/meetings/1/edit", {"secretary"}),
    ("/councils/ncpt/meetings/1/agenda", {"secretary"}),
    ("/councils/ncpt/meetings/1/agenda/1/remove", {"secretary"}),
    ("/councils/ncpt/meetings/1/attendance", {"secretary"}),
    ("/councils/ncpt/meetings/1/minutes", {"secretary"}),
    ("/councils/ncpt/meetings/1/held", {"secretary"}),
    ("/councils/ncpt/meetings/1/cancel", {"secretary"}),
    ("/councils/ncpt/proposals/new", {"citizen", "member", "officer-kgd", "officer", "secretary", "chair",
                                      "other-secretary"}),
    ("/councils/ncpt/proposals/1/edit", {"member", "secretary", "chair"}),
    ("/councils/ncpt/proposals/1/submit", {"member", "secretary", "chair"}),
    ("/councils/ncpt/proposals/1/cosign", {"member", "secretary", "chair"}),
    ("/councils/ncpt/proposals/1/take-up", {"member", "secretary", "chair"}),
    ("/councils/ncpt/proposals/1/withdraw", {"member", "secretary", "chair"}),
    ("/councils/ncpt/proposals/1/review", {"secretary", "chair"}),
    ("/councils/ncpt/proposals/1/accept", {"secretary", "chair"}),
    ("/councils/ncpt/proposals/1/reject", {"secretary", "chair"}),
    ("/councils/ncpt/assignments/new", {"secretary", "chair"}),
    ("/councils/ncpt/assignments/1/accept", {"secretary", "chair"}),
    ("/councils/ncpt/assignments/1/return", {"secretary", "chair"}),
    ("/councils/ncpt/assignments/1/withdraw", {"chair"}),
    ("/councils/ncpt/assignments/1/extensions/999/grant", {"chair"}),
    ("/councils/ncpt/assignments/1/extensions/999/refuse", {"chair"}),
    ("/agencies/mvd/assignments/1/start", {"officer"}),
    ("/agencies/mvd/assignments/1/report", {"officer"}),
    ("/agencies/mvd/assignments/1/extension", {"officer"}),
    ("/councils/ncpt/reforms/new", {"secretary"}),
    ("/councils/ncpt/reforms/1/items", {"secretary"}),
    ("/councils/ncpt/reforms/1/laws", {"secretary"}),
    ("/councils/ncpt/laws/1/stage", {"secretary"}),
]


def test_api_role_table():
    """Every loop API write x every role: anonymous 401, others not allowed 403,
    allowed roles get past the gate (their bad body is refused with 4xx, not
    401/403). Records are closed or the body empty: nothing changes."""
    before = Client(C.srv).get("/api/v1/councils/ncpt/statistics").text
    bad = []
    for method, path, allowed in API_WRITES:
        for role in ROLES:
            who = None if role == "anonymous" else role
            body = None if method in ("GET", "DELETE") else {"title": ""}
            r = api(method, path, body, who)
            if role == "anonymous":
                ok = r.status == 401
            elif role in allowed:
                ok = r.status not in (401, 403) and r.status < 500
            else:
                ok = r.status == 403
            if not ok:
                bad.append("%s %s as %s: %d %s" % (method, path, role, r.status, r.text[:120]))
    assert not bad, "\n".join(bad[:15])
    eq(Client(C.srv).get("/api/v1/councils/ncpt/statistics").text, before, "nothing changed")


def test_page_role_table():
    bad = []
    for path, allowed in PAGE_WRITES:
        for role in ROLES:
            cl = C.pages[role]
            tok = C.csrf[role]
            r = cl.post(path, {"csrf": tok, "title": ""})
            if role == "anonymous":
                ok = r.status == 303 and "/login" in r.headers.get("location", "")
            elif role in allowed:
                ok = r.status not in (401, 403) and r.status < 500
            else:
                ok = r.status == 403
            if not ok:
                bad.append("POST %s as %s: %d" % (path, role, r.status))
    assert not bad, "\n".join(bad[:15])


# ---- bad input -----------------------------------------------------------------

def test_api_bad_input():
    P = "/api/v1/councils/ncpt"
    cases = [
        ("secretary", "POST", P + "/meetings", {"kind": "party", "date": "2030-01-20", "time": "10:00", "place": "x"}, "kind"),
        ("secretary", "POST", P + "/meetings", {"kind": "plenary", "date": "2030-02-30", "time": "10:00", "place": "x"}, "date"),
        ("secretary", "POST", P + "/meetings", {"kind": "plenary", "date": "2030-02-03", "time": "25:00", "place": "x"}, "time"),
        ("secretary", "POST", P + "/meetings", {"kind": "plenary", "date": "2030-02-03", "time": "10:00"}, "place"),
        ("secretary", "POST", P + "/meetings", {"kind": "plenary", "date": "2030-02-03", "time": "10:00", "place": "x",
                                                "number": 5}, "number"),
        ("secretary", "POST", P + "/meetings", {"kind": "individual", "date": "2030-02-03", "time": "10:00", "place": "x"},
         "person_id"),
        ("secretary", "POST", P + "/meetings", {"kind": 7}, "kind"),
        ("member", "POST", P + "/proposals", {"title": ""}, "title"),
        ("member", "POST", P + "/proposals", {"title": "x" * 400}, "title"),
        ("member", "POST", P + "/proposals", {"title": "ok", "group_id": 99999}, "group_id"),
        ("member", "POST", P + "/proposals", {"title": "bad\u0001control"}, "title"),
        ("chair", "POST", P + "/assignments", {"title": "t", "agency": "nope", "deadline": "2030-03-01"}, "agency"),
        ("chair", "POST", P + "/assignments", {"title": "t", "agency": "mvd", "deadline": "someday"}, "deadline"),
        ("chair", "POST", P + "/assignments", {"title": "t", "agency": "mvd", "deadline": "2030-01-01",
                                               "issued_on": "2030-01-05"}, "deadline"),
        ("chair", "POST", P + "/assignments", {"title": "t", "agency": "mvd", "deadline": "2030-03-01",
                                               "proposal_id": 2}, "proposal_id"),
        ("chair", "POST", P + "/assignments", {"title": "t", "agency": "mvd", "deadline": "2030-03-01",
                                               "coexecutors": ["kgd", "ghost"]}, "coexecutors"),
        ("secretary", "POST", P + "/reforms", {"title": "r", "announced_on": "2030-13-01"}, "announced_on"),
        ("secretary", "POST", P + "/reforms/1/items", {"title": "i", "links": "p2"}, "links"),
        ("secretary", "POST", P + "/reforms/1/items", {"title": "i", "links": "x9"}, "links"),
        ("secretary", "POST", P + "/reforms/1/laws", {"item_id": 1, "title": "L", "stage": "dreamt", "date": "2030-01-01"},
         "stage"),
        ("secretary", "POST", P + "/laws/1/stage", {"stage": "drafted", "date": "2030-01-01"}, "stage"),
        ("secretary", "POST", P + "/laws/1/stage", {"stage": "signed", "date": "2019-01-01"}, "date"),
        ("secretary", "POST", P + "/meetings/1/cancel", {"reason": "x"}, "state-or-none"),
    ]
    before = Client(C.srv).get("/api/v1/councils/ncpt/statistics").text
    for who, method, path, body, field in cases:
        r = api(method, path, body, who)
        eq(r.status, 422, "%s %s %s: %s" % (method, path, body, r.text[:200]))
        err = r.json()["error"]
        if field != "state-or-none":
            eq(err["field"], field, "%s %s" % (path, body))
    # not JSON, malformed JSON
    r = C.client.request("POST", P + "/proposals", body="title=x", ctype="application/x-www-form-urlencoded",
                         headers={"Authorization": "Bearer " + C.tok["member"]})
    eq(r.status, 415)
    r = C.client.request("POST", P + "/proposals", body="{\"title\":", ctype="application/json",
                         headers={"Authorization": "Bearer " + C.tok["member"]})
    eq(r.status, 400)
    r = api("GET", P + "/assignments?status=sleeping")
    eq(r.status, 400)
    r = api("GET", P + "/assignments?agency=ghost")
    eq(r.status, 404)
    r = api("GET", P + "/meetings/99999")
    eq(r.status, 404)
    eq(Client(C.srv).get("/api/v1/councils/ncpt/statistics").text, before, "bad input changed nothing")


def test_form_bad_input():
    sec = C.pages["secretary"]
    r = sec.form("/councils/ncpt/meetings/new", "/councils/ncpt/meetings/new",
                 {"kind": "plenary", "date": "2030-02-31", "time": "9", "place": ""})
    eq(r.status, 422)
    contains(r.text, "This date does not exist.")
    contains(r.text, "Enter a time as HH:MM")
    contains(r.text, 'value="2030-02-31"')
    # an individual meeting names the member by words of the name, among those who sat on the council
    for who, says in (("no such member", "No such person among those who have sat on this council."),
                      ("", "An individual meeting needs the member the chair meets.")):
        r = sec.form("/councils/ncpt/meetings/new", "/councils/ncpt/meetings/new",
                     {"kind": "individual", "date": "2030-02-03", "time": "10:00", "place": "Akorda",
                      "person_id": who})
        eq(r.status, 422, who)
        contains(r.text, says)
    r = sec.form("/councils/ncpt/meetings/new", "/councils/ncpt/meetings/new",
                 {"kind": "individual", "date": "2030-02-03", "time": "10:00", "place": "Akorda",
                  "person_id": "Ileuova"})
    eq(r.status, 303, r.text[:300])
    m = C.pages["secretary"].get(r.headers["location"].replace("/councils/", "/api/v1/councils/")).json()
    eq((m["kind"], m["person_name"]), ("individual", "Gulmira Ileuova"))
    mem = C.pages["member"]
    r = mem.form("/councils/ncpt/proposals/new", "/councils/ncpt/proposals/new", {"title": "  ", "body": "b"})
    eq(r.status, 422)
    contains(r.text, "This field is required.")
    ch = C.pages["chair"]
    r = ch.form("/councils/ncpt/assignments/new", "/councils/ncpt/assignments/new",
                {"title": "x", "agency": "", "deadline": "tomorrow"})
    eq(r.status, 422)
    contains(r.text, "Choose the responsible agency.")
    off = C.pages["officer"]
    r = off.form("/agencies/mvd/assignments/1/report", "/agencies/mvd/assignments/1/report", {"body": ""})
    eq(r.status, 422, "closed assignment: no report")
    contains(r.text, "closed")
    r = off.form("/agencies/mvd/assignments/1/extension", "/agencies/mvd/assignments/1/extension",
                 {"deadline": "2020-01-01", "reason": ""})
    eq(r.status, 422)
    sec2 = C.pages["secretary"]
    r = sec2.form("/councils/ncpt/meetings/1", "/councils/ncpt/meetings/1/minutes", {"minutes": ""})
    eq(r.status, 422)
    contains(r.text, "This field is required.")
    r = sec2.form("/councils/ncpt/reforms/1", "/councils/ncpt/reforms/1/laws",
                  {"item_id": "1", "law_title": "", "stage": "adopted", "date": "x"})
    eq(r.status, 422)
    contains(r.text, "Enter a date as YYYY-MM-DD.")


# ---- the loop ---------------------------------------------------------------------

def loop_to_assignment(title, deadline_days):
    """proposal -> group review -> agenda -> meeting held -> accepted ->
    assignment to mvd with a deadline deadline_days after the clock's day."""
    P = "/api/v1/councils/ncpt"
    clock(C.now)
    r = api("POST", P + "/proposals", {"title": title, "body": "Why and what."}, "member")
    eq(r.status, 201, r.text)
    pid = r.json()["id"]
    eq(r.json()["state"], "draft")
    eq(api("POST", P + "/proposals/%d/review" % pid, None, "secretary").status, 422, "a draft is not reviewed")
    eq(api("POST", P + "/proposals/%d/submit" % pid, None, "member").json()["state"], "submitted")
    eq(api("POST", P + "/proposals/%d/submit" % pid, None, "member").status, 422, "submitted twice")
    r = api("POST", P + "/proposals/%d/cosign" % pid, None, "chair")
    eq(r.status, 200, r.text)
    eq(len(r.json()["signers"]), 2)
    eq(api("POST", P + "/proposals/%d/cosign" % pid, None, "chair").status, 422, "co-signed twice")
    eq(api("POST", P + "/proposals/%d/withdraw" % pid, None, "chair").status, 403, "a co-signer does not withdraw")
    eq(api("POST", P + "/proposals/%d/accept" % pid, None, "secretary").status, 422, "not on an agenda yet")
    eq(api("POST", P + "/proposals/%d/review" % pid, {"group_id": 1}, "secretary").json()["state"], "group_review")
    r = api("POST", P + "/meetings", {"kind": "plenary", "date": day(C.now + DAY), "time": "10:00",
                                     "place": "Akorda", "title": title}, "secretary")
    eq(r.status, 201, r.text)
    mid = r.json()["id"]
    r = api("POST", P + "/meetings/%d/agenda" % mid, {"proposal_id": pid}, "secretary")
    eq(r.status, 201, r.text)
    eq(r.json()["agenda"][0]["proposal_id"], pid)
    eq(api("GET", P + "/proposals/%d" % pid).json()["state"], "on_agenda")
    eq(api("POST", P + "/meetings/%d/held" % mid, None, "secretary").status, 422, "not before it starts")
    eq(api("PUT", P + "/meetings/%d/minutes" % mid, {"minutes": "early"}, "secretary").status, 422)
    C.now += 2 * DAY
    clock(C.now)
    eq(api("POST", P + "/meetings/%d/held" % mid, None, "secretary").json()["status"], "held")
    eq(api("POST", P + "/meetings/%d/agenda" % mid, {"title": "late item"}, "secretary").status, 422)
    r = api("PUT", P + "/meetings/%d/attendance" % mid, {"attendance": [{"person_id": 1, "status": "present"},
                                                                       {"person_id": 4, "status": "remote"}]},
            "secretary")
    eq(r.status, 200, r.text)
    eq(len(r.json()["attendance"]), 2)
    eq(api("PUT", P + "/meetings/%d/attendance" % mid, {"attendance": [{"person_id": 1, "status": "asleep"}]},
           "secretary").status, 422)
    r = api("PUT", P + "/meetings/%d/minutes" % mid, {"minutes": "# Minutes\n\n<script>x</script>Decided."}, "secretary")
    eq(r.status, 200)
    page = Client(C.srv).get("/councils/ncpt/meetings/%d" % mid).text
    assert "<script>x</script>" not in page, "raw HTML in minutes is dropped"
    contains(page, "Decided.")
    eq(api("POST", P + "/proposals/%d/accept" % pid, None, "chair").json()["state"], "accepted")
    deadline = day(C.now + deadline_days * DAY)
    r = api("POST", P + "/assignments", {"title": "Do it: " + title, "agency": "mvd", "coexecutors": ["kgd"],
                                        "deadline": deadline, "proposal_id": pid, "meeting_id": mid}, "chair")
    eq(r.status, 201, r.text)
    a = r.json()
    eq(a["state"], "issued")
    eq(a["coexecutors"], ["kgd"])
    eq(a["issued_on"], day(C.now - 2 * DAY + DAY), "issued on the meeting's day")
    eq(api("GET", P + "/proposals/%d" % pid).json()["assignments"], [a["id"]], "links both ways")
    return a["id"], deadline


def report(aid, final=True, who="officer", agency="mvd"):
    return api("POST", "/api/v1/agencies/%s/assignments/%d/reports" % (agency, aid),
               {"body": "Done by order.", "evidence": ["https://t.me/Ulttyq_kenes"], "final": final,
                "indicators": [{"name": "staff units, women's protection units", "unit": "staff units",
                                "baseline": 0, "target": "+100", "actual": "+129"}]}, who)


def test_loop_on_time():
    P = "/api/v1/councils/ncpt"
    aid, deadline = loop_to_assignment("Protect women from violence", 30)
    A = "/api/v1/agencies/mvd/assignments/%d" % aid
    eq(api("POST", P + "/assignments/%d/accept" % aid, None, "chair").status, 422, "no report: no acceptance")
    eq(api("POST", "/api/v1/agencies/kgd/assignments/%d/start" % aid, None, "officer-kgd").status, 403,
       "a co-executor does not take it into work")
    eq(api("POST", A + "/start", None, "officer").json()["state"], "in_progress")
    eq(api("POST", A + "/start", None, "officer").status, 422, "started twice")
    q = api("GET", "/api/v1/agencies/mvd/queue", None, "officer").json()["assignments"]
    assert aid in [x["id"] for x in q]
    q = api("GET", "/api/v1/agencies/kgd/queue", None, "officer-kgd").json()["assignments"]
    assert [x["role"] for x in q if x["id"] == aid] == ["coexecutor"]
    # extension: asked with a reason, granted; a second one refused
    eq(api("POST", A + "/extensions", {"deadline": deadline, "reason": "x"}, "officer").status, 422, "not later")
    eq(api("POST", A + "/extensions", {"deadline": day(C.now + 44 * DAY)}, "officer").json()["error"]["field"], "reason")
    r = api("POST", A + "/extensions", {"deadline": day(C.now + 44 * DAY), "reason": "Staff tables need a decree."},
            "officer")
    eq(r.status, 201, r.text)
    ext = r.json()["extensions"][0]["id"]
    eq(api("POST", A + "/extensions", {"deadline": day(C.now + 50 * DAY), "reason": "again"}, "officer").status, 422,
       "one pending request at a time")
    eq(api("POST", P + "/assignments/%d/extensions/%d/grant" % (aid, ext), None, "secretary").status, 403)
    r = api("POST", P + "/assignments/%d/extensions/%d/grant" % (aid, ext), {"note": "Granted once."}, "chair")
    eq(r.status, 200, r.text)
    eq(r.json()["deadline"], day(C.now + 44 * DAY))
    eq(r.json()["original_deadline"], deadline)
    eq(api("POST", P + "/assignments/%d/extensions/%d/refuse" % (aid, ext), None, "chair").status, 422, "decided")
    r = api("POST", A + "/extensions", {"deadline": day(C.now + 60 * DAY), "reason": "More time."}, "officer")
    ext2 = r.json()["extensions"][1]["id"]
    r = api("POST", P + "/assignments/%d/extensions/%d/refuse" % (aid, ext2), {"note": "No."}, "chair")
    eq(r.json()["deadline"], day(C.now + 44 * DAY), "refused: deadline unchanged")
    # reports: bad indicator refused; a co-executor's progress report; the final report
    r = api("POST", A + "/reports", {"body": "b", "final": True, "indicators": [{"name": "n", "actual": "lots"}]},
            "officer")
    eq(r.status, 422)
    eq(r.json()["error"]["field"], "indicators")
    r = api("POST", A + "/reports", {"body": "b", "final": True}, "officer")
    eq(r.status, 422, "done needs outcomes or evidence")
    r = report(aid, final=False, who="officer-kgd", agency="kgd")
    eq(r.status, 201, r.text)
    r = report(aid, final=True, who="officer-kgd", agency="kgd")
    eq(r.status, 422, "only the responsible agency reports it done")
    C.now += 10 * DAY
    clock(C.now)
    r = report(aid)
    eq(r.status, 201, r.text)
    eq(r.json()["state"], "reported")
    # returned for rework, then reported again and accepted
    eq(api("POST", P + "/assignments/%d/return" % aid, {}, "chair").json()["error"]["field"], "reason")
    eq(api("POST", P + "/assignments/%d/return" % aid, {"reason": "Add the order number."}, "chair").json()["state"],
       "returned")
    eq(report(aid).json()["state"], "reported")
    r = api("POST", P + "/assignments/%d/accept" % aid, None, "secretary")
    eq(r.status, 200, r.text)
    a = r.json()
    eq(a["state"], "completed")
    eq(a["timing"], "on_time")
    eq(a["overdue"], False)
    eq(api("POST", P + "/assignments/%d/accept" % aid, None, "chair").status, 422, "accepted twice")
    eq(api("POST", A + "/reports", {"body": "late note"}, "officer").status, 422, "closed")
    page = Client(C.srv).get("/councils/ncpt/assignments/%d" % aid).text
    for part in ("ON TIME", "+129", "Staff tables need a decree.", "Granted once.", "extension granted",
                 "Add the order number.", "https://t.me/Ulttyq_kenes"):
        contains(page, part)
    sc = Client(C.srv).get("/api/v1/agencies/mvd/scorecard").json()
    eq(sc["late"], 0)
    assert sc["completed"] >= 2


def test_loop_late():
    P = "/api/v1/councils/ncpt"
    aid, deadline = loop_to_assignment("Publish the statistics of violence", 5)
    A = "/api/v1/agencies/mvd/assignments/%d" % aid
    r = api("GET", P + "/assignments?agency=mvd&status=open&overdue=1")
    assert aid not in [x["id"] for x in r.json()["assignments"]], "not overdue yet"
    C.now += 8 * DAY
    clock(C.now)
    r = api("GET", P + "/assignments?agency=mvd&status=open&overdue=1")
    eq(r.status, 200)
    assert aid in [x["id"] for x in r.json()["assignments"]], "overdue after the deadline"
    contains(Client(C.srv).get("/councils/ncpt/assignments?agency=mvd&status=open&overdue=1").text, "OVERDUE")
    eq(api("GET", "/api/v1/agencies/mvd/scorecard").json()["overdue"], 1)
    eq(report(aid).status, 201)
    r = api("POST", P + "/assignments/%d/accept" % aid, None, "chair")
    eq(r.status, 200, r.text)
    eq(r.json()["timing"], "late")
    eq(r.json()["completed_on"], day(C.now))
    contains(Client(C.srv).get("/councils/ncpt/assignments/%d" % aid).text, "LATE")
    sc = api("GET", "/api/v1/agencies/mvd/scorecard").json()
    eq(sc["late"], 1)
    eq(sc["overdue"], 0)
    assert sc["on_time_percent"] < 100


def test_citizen_proposal_and_withdraw():
    P = "/api/v1/councils/ncpt"
    clock(C.now)
    r = api("POST", P + "/proposals", {"title": "Street lights in my village"}, "citizen")
    eq(r.status, 201, r.text)
    pid = r.json()["id"]
    eq(r.json()["origin"], "citizen")
    eq(r.json()["state"], "submitted")
    eq(api("POST", P + "/proposals/%d/review" % pid, None, "secretary").status, 422, "needs a member first")
    eq(api("POST", P + "/proposals/%d/cosign" % pid, None, "member").status, 422)
    r = api("POST", P + "/proposals/%d/take-up" % pid, None, "member")
    eq(r.status, 200, r.text)
    eq(api("POST", P + "/proposals/%d/take-up" % pid, None, "chair").status, 422, "taken up once")
    eq(api("POST", P + "/proposals/%d/review" % pid, None, "secretary").json()["state"], "group_review")
    r = api("POST", P + "/proposals/%d/reject" % pid, {"reason": ""}, "chair")
    eq(r.status, 422)
    r = api("POST", P + "/proposals/%d/withdraw" % pid, None, "member")
    eq(r.json()["state"], "withdrawn")
    eq(api("POST", P + "/proposals/%d/reject" % pid, {"reason": "late"}, "chair").status, 422, "already withdrawn")
    contains(Client(C.srv).get("/councils/ncpt/proposals/%d" % pid).text, "taken up by")


def test_pages_walk():
    """The same loop through the HTML forms: secretary, chair, officer."""
    clock(C.now)
    # the clock moved weeks: log in afresh
    mem, sec, ch, off = (Client(C.srv) for _ in range(4))
    for cl, login in ((mem, "member"), (sec, "secretary"), (ch, "chair"), (off, "officer")):
        cl.login(login, PW)
    r = mem.form("/councils/ncpt/proposals/new", "/councils/ncpt/proposals/new", {"title": "Shelters", "body": "More."})
    eq(r.status, 303)
    url = r.headers["location"]
    pid = int(url.rsplit("/", 1)[1])
    eq(mem.form(url, url + "/submit", {}).status, 303)
    eq(sec.form(url, url + "/review", {"group_id": ""}).status, 303)
    r = sec.form("/councils/ncpt/meetings/new", "/councils/ncpt/meetings/new",
                 {"kind": "plenary", "date": day(C.now), "time": "00:01", "place": "Akorda"})
    eq(r.status, 303, r.text[:300])
    murl = r.headers["location"]
    eq(sec.form(murl, murl + "/agenda", {"title": "", "proposal_id": str(pid)}).status, 303)
    eq(sec.form(murl, murl + "/held", {}).status, 303)
    eq(sec.form(murl, murl + "/attendance", {"att_1": "present"}).status, 303)
    eq(sec.form(murl, murl + "/minutes", {"minutes": "Agreed."}).status, 303)
    eq(ch.form(url, url + "/accept", {}).status, 303)
    r = ch.form("/councils/ncpt/assignments/new", "/councils/ncpt/assignments/new",
                {"title": "Open shelters", "agency": "mvd", "deadline": day(C.now + 20 * DAY),
                 "meeting_id": murl.rsplit("/", 1)[1], "proposal_id": str(pid)})
    eq(r.status, 303, r.text[:500])
    aurl = r.headers["location"]
    aid = int(aurl.rsplit("/", 1)[1])
    q = off.get("/agencies/mvd/queue")
    contains(q.text, "Open shelters")
    base = "/agencies/mvd/assignments/%d" % aid
    eq(off.form("/agencies/mvd/queue", base + "/start", {}).status, 303)
    r = off.form(base + "/report", base + "/report",
                 {"body": "Opened.", "ind_name_1": "shelters", "ind_unit_1": "shelters", "ind_actual_1": "+3", "final": "1"})
    eq(r.status, 303, r.text[:500])
    eq(sec.form(aurl, aurl + "/accept", {}).status, 303)
    page = Client(C.srv).get(aurl).text
    contains(page, "ON TIME")
    contains(page, "+3")


def test_long_lists_paginate():
    P = "/api/v1/councils/ncpt"
    for i in range(55):
        r = api("POST", P + "/assignments", {"title": "Paging %d" % i, "agency": "minjust",
                                             "deadline": "2099-01-%02d" % (1 + i % 28)}, "chair")
        eq(r.status, 201, r.text)
    r = api("GET", P + "/assignments?agency=minjust&limit=20&offset=40")
    eq(r.status, 200)
    j = r.json()
    assert j["total"] >= 55, j["total"]
    eq(len(j["assignments"]), min(20, j["total"] - 40))
    eq(j["offset"], 40)
    first = api("GET", P + "/assignments?agency=minjust&limit=40").json()["assignments"]
    ids = [a["id"] for a in first] + [a["id"] for a in j["assignments"]]
    eq(len(ids), len(set(ids)), "pages do not overlap")
    eq(api("GET", P + "/assignments?limit=0").status, 400)
    eq(api("GET", P + "/assignments?limit=501").status, 400)
    page = Client(C.srv).get("/councils/ncpt/assignments?agency=minjust&page=2")
    eq(page.status, 200)
    contains(page.text, 'rel="prev"')
    assert len(page.body) < 60 * 1024
    eq(Client(C.srv).get("/councils/ncpt/assignments?page=0").status, 400)
    # the unfiltered total is a kept count (council_counts); filtered ones
    # are counted from the rows: the states' totals add up to it
    whole = api("GET", P + "/assignments?limit=1").json()["total"]
    states = ["issued", "in_progress", "reported", "completed", "returned", "withdrawn"]
    eq(sum(api("GET", P + "/assignments?limit=1&status=" + s).json()["total"] for s in states), whole)
    assert whole >= 55, whole
    # an agency's own lists come a page at a time too: its officer's queue of
    # open assignments (one form each) and its public scorecard
    for i in range(55):
        r = api("POST", P + "/assignments", {"title": "Queue %d" % i, "agency": "kgd",
                                             "deadline": "2099-02-%02d" % (1 + i % 28)}, "chair")
        eq(r.status, 201, r.text)
    officer = Client(C.srv)
    officer.login("officer-kgd", PW)
    seen = []
    for page in (1, 2):
        r = officer.get("/agencies/kgd/queue?page=%d" % page)
        eq(r.status, 200)
        assert len(r.body) < 60 * 1024, (page, len(r.body))
        ids = re.findall(r'<article class="queue"><h2><a href="/councils/ncpt/assignments/(\d+)"', r.text)
        seen += ids
        if page == 1:
            eq(len(ids), 50, "a full first page")
            contains(r.text, 'rel="next" href="/agencies/kgd/queue?page=2"')
        else:
            assert ids, "the rest on page 2"
            contains(r.text, 'rel="prev"')
    eq(len(seen), len(set(seen)), "queue pages do not overlap")
    assert len(seen) >= 55, len(seen)
    eq(officer.get("/agencies/kgd/queue?page=0").status, 400)
    # past the end: said, with a link to where the list ends
    beyond = officer.get("/agencies/kgd/queue?page=9")
    eq(beyond.status, 200)
    contains(beyond.text, "This page is past the end of the list.")
    contains(beyond.text, 'href="/agencies/kgd/queue?page=2"')
    card = Client(C.srv).get("/agencies/kgd/scorecard")
    eq(card.status, 200)
    assert len(card.body) < 60 * 1024, len(card.body)
    eq(card.text.count('<tr><td><a href="/councils/'), 50, "the scorecard's table: one page")
    contains(card.text, 'rel="next" href="/agencies/kgd/scorecard?page=2"')
    # the figures still count every assignment, not the page
    issued = int(re.search(r"Assignments issued</th><td>(\d+)</td>", card.text).group(1))
    assert issued >= 55, issued
    # a council's meetings and proposals, which grow for as long as it sits
    for i in range(51):
        r = api("POST", P + "/meetings", {"kind": "plenary", "date": "2031-%02d-%02d" % (1 + i % 12, 1 + i % 28),
                                          "time": "10:00", "place": "Paging hall %d" % i}, "secretary")
        eq(r.status, 201, r.text)
        r = api("POST", P + "/proposals", {"title": "Paging proposal %d" % i, "body": "To page through."}, "member")
        eq(r.status, 201, r.text)
    for what, row in (("meetings", r'<tr><td><a href="/councils/ncpt/meetings/(\d+)"'),
                      ("proposals", r'<tr><td><a href="/councils/ncpt/proposals/(\d+)"')):
        total = len(api("GET", P + "/" + what).json()[what])
        assert total > 51, (what, total)
        first = Client(C.srv).get("/councils/ncpt/%s" % what)
        eq(first.status, 200)
        assert len(first.body) < 60 * 1024, (what, len(first.body))
        ids = re.findall(row, first.text)
        eq(len(ids), 50, what + ": a full first page")
        contains(first.text, 'rel="next" href="/councils/ncpt/%s?page=2"' % what)
        rest = re.findall(row, Client(C.srv).get("/councils/ncpt/%s?page=2" % what).text)
        eq(len(ids) + len(rest), min(total, 100), what + ": the second page holds the rest")
        assert not set(ids) & set(rest), what + ": pages do not overlap"
    held = Client(C.srv).get("/councils/ncpt/meetings?kind=plenary&page=2")
    eq(held.status, 200)
    contains(held.text, 'rel="prev" href="/councils/ncpt/meetings?kind=plenary&amp;page=1"')


def test_meeting_lists_its_assignments():
    """A meeting's page lists the assignments issued at it, and only those."""
    a = api("GET", "/api/v1/councils/ncpt/assignments/1").json()
    mid = a["meeting_id"]
    assert mid, a
    page = Client(C.srv).get("/councils/ncpt/meetings/%d" % mid)
    eq(page.status, 200)
    contains(page.text, "Assignments issued at this meeting")
    listed = re.findall(r'<li><a href="/councils/ncpt/assignments/(\d+)">', page.text)
    assert "1" in listed, listed
    every = api("GET", "/api/v1/councils/ncpt/assignments?limit=500").json()["assignments"]
    eq(sorted(int(x) for x in listed), sorted(x["id"] for x in every if x.get("meeting_id") == mid))
    other = [m["id"] for m in api("GET", "/api/v1/councils/ncpt/meetings").json()["meetings"] if m["id"] != mid]
    quiet = [m for m in other if not any(x.get("meeting_id") == m for x in every)]
    assert quiet, "a meeting without assignments"
    assert "Assignments issued at this meeting" not in Client(C.srv).get("/councils/ncpt/meetings/%d" % quiet[0]).text


def test_cache_retired_exactly():
    """A cached list stays while writes touch what it does not show (an
    appeal), and is re-rendered when one touches what it shows."""
    anon = Client(C.srv)
    path = "/api/v1/councils/ncpt/assignments?limit=1"

    def hits():
        m = Client(C.srv).get("/metrics").text
        return int(re.search(r"kenes_page_cache_hits_total (\d+)", m).group(1))

    first = anon.get(path)
    eq(first.status, 200)
    anon.get(path)
    h0 = hits()
    r = api("POST", "/api/v1/councils/ncpt/appeals", {
        "subject": "Street lights out on Abay avenue", "category": "other", "urgency": "normal",
        "visibility": "public", "scale": "group",
        "body": "The street lights on Abay avenue have been out for three weeks; it is dangerous at night."},
        "citizen")
    eq(r.status, 201, r.text)
    again = anon.get(path)
    eq(again.body, first.body)
    eq(hits(), h0 + 1, "an appeal retired the cached assignment list")
    r = api("POST", "/api/v1/councils/ncpt/assignments", {"title": "Cache check", "agency": "mvd",
                                                          "deadline": "2099-03-01"}, "chair")
    eq(r.status, 201, r.text)
    after = anon.get(path)
    eq(after.json()["total"], first.json()["total"] + 1, "the new assignment is counted at once")


def main():
    setup()
    C.srv = Server(BIN, DB, ["--test-clock"])
    try:
        C.client = Client(C.srv)
        C.tok = {r: token(C.srv, LOGIN[r]) for r in ROLES if r != "anonymous"}
        C.tok["operator"] = token(C.srv, "operator")
        C.now = T0
        clock(C.now)
        C.pages, C.csrf = {}, {}
        for r in ROLES:
            cl = Client(C.srv)
            if r != "anonymous":
                cl.login(LOGIN[r], PW)
            C.pages[r] = cl
            C.csrf[r] = cl.get("/councils/ncpt").csrf() or cl.get("/login").csrf()
        s = Suite("test_loop " + LABEL)
        s.run(test_demo_figures)
        s.run(test_api_role_table)
        s.run(test_page_role_table)
        s.run(test_api_bad_input)
        s.run(test_form_bad_input)
        s.run(test_loop_on_time)
        s.run(test_loop_late)
        s.run(test_citizen_proposal_and_withdraw)
        s.run(test_pages_walk)
        s.run(test_long_lists_paginate)
        s.run(test_meeting_lists_its_assignments)
        s.run(test_cache_retired_exactly)
        rc, out = run("verify", "--db", DB)
        print("  (kenes verify: exit %d)" % rc)
        return s.summary()
    finally:
        C.srv.stop()


if __name__ == "__main__":
    sys.exit(main())
