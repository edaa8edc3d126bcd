#!/usr/bin/env python3
"""test_consultation.py: end-to-end tests of consultations against the real binary.

usage: test_consultation.py BINARY DB_URL LABEL
DB_URL must name an empty database. Loads the demo (known password), then:
the secretary starts a consultation through the form; citizens add
statements; the secretary moderates; votes through the no-JavaScript form
and the API (duplicates and malformed votes refused); per-browser
participation when the rules allow it and refusal when they do not; the
Pol.is export bg2050-volunteers imported (CLI and upload form, bad CSV
refused with its line), its results page (SVG map, 2 groups, < 60 KB) and
the export round trip (votes and comments equal to the source files).

The Pol.is data used here is CC BY 4.0: data gathered using the Polis
software (compdemocracy.org/polis), sub-licensed under CC BY 4.0 with
attribution to The Computational Democracy Project;
https://github.com/compdemocracy/openData/tree/master/bg2050-volunteers
"""
import csv
import io
import os
import re
import subprocess
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Server, Suite, contains, eq  # noqa: E402

BIN, DB, LABEL = sys.argv[1], sys.argv[2], sys.argv[3]
PW = "demo-password-1"
ENV = {"KENES_DEMO_PASSWORD": PW}
HERE = os.path.dirname(os.path.abspath(__file__))
POLIS = os.environ.get("KN_POLIS_DATA") or os.path.join(HERE, "..", "..", "..", "shared", "data", "polis")
if not os.path.isdir(POLIS):
    POLIS = "/work/shared/data/polis"
BG = os.path.join(POLIS, "bg2050-volunteers")


def run(*args, stdin=None):
    e = dict(os.environ)
    e.update(ENV)
    p = subprocess.run([BIN] + list(args), input=stdin, capture_output=True, text=True, env=e, timeout=300)
    return p.returncode, p.stdout + p.stderr


class Ctx:
    pass


C = Ctx()


def token(login):
    r = Client(C.s).api("POST", "/api/v1/tokens", {"login": login, "password": PW, "name": "consult"})
    eq(r.status, 201, r.text)
    return r.json()["token"]


def page_statement(text):
    m = re.search(r'name="statement" value="(\d+)"', text)
    return int(m.group(1)) if m else None


def multipart(fields, files):
    b = "kn" + uuid.uuid4().hex
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (b, k, v)).encode())
    for k, (name, data) in files.items():
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                   "Content-Type: text/csv\r\n\r\n" % (b, k, name)).encode())
        out.write(data + b"\r\n")
    out.write(("--%s--\r\n" % b).encode())
    return out.getvalue(), "multipart/form-data; boundary=" + b


# ---- tests -------------------------------------------------------------------

def test_secretary_creates():
    sec = Client(C.s)
    sec.login("secretary", PW)
    C.sec = sec
    r = sec.form("/councils/ncpt/consultations/new", "/councils/ncpt/consultations/new", {
        "question": "", "opens_on": "2020-01-01", "closes_on": "2019-12-31", "who": "anyone", "seeds": ""})
    eq(r.status, 422, "bad form")
    contains(r.text, "cannot close before it opens")
    r = sec.form("/councils/ncpt/consultations/new", "/councils/ncpt/consultations/new", {
        "question": "How should public councils work?", "opens_on": "2020-01-01", "closes_on": "2099-12-31",
        "who": "anyone", "statements_open": "1",
        "seeds": "Councils should publish every assignment\nAgencies should answer within ten working days\n"
                 "Meetings should be streamed online"})
    eq(r.status, 303, r.text[:300])
    C.path = r.headers["location"]
    C.cid = int(C.path.rsplit("/", 1)[1])
    r = sec.get(C.path)
    eq(r.status, 200)
    contains(r.text, "How should public councils work?")
    contains(r.text, "Moderate statements")
    # the list and the council's section link
    r = Client(C.s).get("/councils/ncpt/consultations")
    eq(r.status, 200)
    contains(r.text, "How should public councils work?")
    contains(Client(C.s).get("/councils/ncpt").text, "/councils/ncpt/consultations")
    # a citizen may not create one
    cit = Client(C.s)
    cit.login("citizen", PW)
    eq(cit.get("/councils/ncpt/consultations/new").status, 403)
    r = cit.api("POST", "/api/v1/councils/ncpt/consultations", {"question": "x", "opens_on": "2020-01-01",
                                                               "closes_on": "2020-01-02"}, token=token("citizen"))
    eq(r.status, 403, r.text)


def test_statements_and_moderation():
    cit = Client(C.s)
    cit.login("citizen", PW)
    C.cit = cit
    r = cit.form(C.path, C.path + "/statements", {"body": "x" * 281})
    eq(r.status, 422)
    contains(r.text, "at most 280 characters")
    r = cit.form(C.path, C.path + "/statements", {"body": "Every council should hold an open day each year"})
    eq(r.status, 303, r.text[:300])
    tok = token("citizen")
    C.cit_tok = tok
    r = cit.api("POST", "/api/v1/councils/ncpt/consultations/%d/statements" % C.cid,
                {"body": "Agendas should be published a week ahead"}, token=tok)
    eq(r.status, 201, r.text)
    eq(r.json()["number"], 4)
    r = cit.api("POST", "/api/v1/councils/ncpt/consultations/%d/statements" % C.cid, {"body": ""}, token=tok)
    eq(r.status, 422, r.text)
    # the secretary sees them waiting, accepts one, marks the other meta
    r = C.sec.get(C.path + "/moderation")
    eq(r.status, 200)
    contains(r.text, "open day each year")
    eq(C.cit.get(C.path + "/moderation").status, 403)
    r = C.sec.form(C.path + "/moderation", C.path + "/statements/3/moderate", {"action": "accept"})
    eq(r.status, 303, r.text[:300])
    r = C.sec.api("POST", "/api/v1/councils/ncpt/consultations/%d/statements/4/moderate" % C.cid,
                  {"action": "meta"}, token=token("secretary"))
    eq(r.status, 200, r.text)
    r = C.sec.api("POST", "/api/v1/councils/ncpt/consultations/%d/statements/4/moderate" % C.cid,
                  {"action": "explode"}, token=token("secretary"))
    eq(r.status, 422, r.text)
    r = Client(C.s).api("GET", "/api/v1/councils/ncpt/consultations/%d" % C.cid)
    eq(r.status, 200)
    bodies = [s["body"] for s in r.json()["accepted_statements"]]
    assert "Every council should hold an open day each year" in bodies, bodies
    eq(len(bodies), 5)
    # the public record has the moderation
    r = Client(C.s).get(C.path)
    contains(r.text, "consultation")


def test_vote_form_and_api():
    cit = C.cit
    r = cit.get(C.path)
    n = page_statement(r.text)
    assert n is not None, r.text[:2000]
    contains(r.text, 'value="agree"')
    contains(r.text, 'value="disagree"')
    contains(r.text, 'value="pass"')
    assert "<script" not in r.text
    r = cit.post(C.path + "/vote", {"csrf": r.csrf(), "statement": str(n), "vote": "agree"})
    eq(r.status, 303, r.text[:300])
    r = cit.get(r.headers["location"])
    contains(r.text, "Your vote was saved.")
    n2 = page_statement(r.text)
    assert n2 is not None and n2 != n, (n, n2)
    # the same vote again through the form: refused, clearly
    r = cit.post(C.path + "/vote", {"csrf": r.csrf(), "statement": str(n), "vote": "agree"})
    eq(r.status, 409)
    contains(r.text, "You already gave this vote on this statement.")
    r = cit.post(C.path + "/vote", {"csrf": r.csrf(), "statement": str(n), "vote": "maybe"})
    eq(r.status, 422)
    # the API: changed vote wins, duplicate and malformed refused
    url = "/api/v1/councils/ncpt/consultations/%d/votes" % C.cid
    tok = C.cit_tok
    r = cit.api("POST", url, {"statement": n, "vote": "disagree"}, token=tok)
    eq(r.status, 201, r.text)
    r = cit.api("POST", url, {"statement": n, "vote": -1}, token=tok)
    eq(r.status, 409, r.text)
    eq(r.json()["error"]["code"], "duplicate_vote")
    for bad in ({"statement": "x", "vote": 1}, {"statement": n, "vote": 2}, {"statement": n}, {"vote": "agree"},
                {"statement": -1, "vote": 1}):
        r = cit.api("POST", url, bad, token=tok)
        eq(r.status, 422, "%r: %s" % (bad, r.text))
    r = cit.api("POST", url, {"statement": 999, "vote": 1}, token=tok)
    eq(r.status, 404, r.text)
    r = cit.request("POST", url, body="{not json", ctype="application/json",
                    headers={"Authorization": "Bearer " + tok})
    eq(r.status, 400, r.text)
    r = cit.api("GET", "/api/v1/councils/ncpt/consultations/%d/next" % C.cid, token=tok)
    eq(r.status, 200, r.text)
    assert r.json()["statement"] is not None
    eq(r.json()["left"], 4)  # 5 accepted (3 seeds, 1 accepted, 1 meta), one voted


def test_anonymous_per_browser():
    anon = Client(C.s)
    r = anon.get(C.path)
    n = page_statement(r.text)
    assert n is not None, "anyone may vote: the form is shown"
    r = anon.post(C.path + "/vote", {"csrf": r.csrf(), "statement": str(n), "vote": "pass"})
    eq(r.status, 303, r.text[:300])
    cookie = [v for k, v in r.header_list if k.lower() == "set-cookie" and v.startswith("kn_voter=")]
    assert cookie and "HttpOnly" in cookie[0] and "Max-Age" in cookie[0], cookie
    assert "kn_voter" in anon.cookies
    # the same browser is the same participant: the statement is done
    r = anon.get(C.path)
    assert page_statement(r.text) != n
    r = anon.api("POST", "/api/v1/councils/ncpt/consultations/%d/votes" % C.cid, {"statement": n, "vote": 0})
    eq(r.status, 409, r.text)
    # another browser is another participant
    other = Client(C.s)
    r = other.api("POST", "/api/v1/councils/ncpt/consultations/%d/votes" % C.cid, {"statement": n, "vote": 0})
    eq(r.status, 201, r.text)
    # a consultation for registered citizens refuses anonymous votes
    r = C.sec.api("POST", "/api/v1/councils/ncpt/consultations", {
        "question": "Citizens only?", "opens_on": "2020-01-01", "closes_on": "2099-12-31", "who": "citizens",
        "seeds": ["Only registered citizens vote here"]}, token=token("secretary"))
    eq(r.status, 201, r.text)
    cid = r.json()["id"]
    path = "/councils/ncpt/consultations/%d" % cid
    r = anon.get(path)
    eq(r.status, 200)
    assert page_statement(r.text) is None
    contains(r.text, "Log in to take part")
    r = anon.post(path + "/vote", {"csrf": anon.cookies.get("kn_csrf", ""), "statement": "0", "vote": "agree"})
    eq(r.status, 403, r.text[:300])
    r = anon.api("POST", "/api/v1" + path + "/votes", {"statement": 0, "vote": 1})
    eq(r.status, 401, r.text)
    r = C.cit.api("POST", "/api/v1" + path + "/votes", {"statement": 0, "vote": 1}, token=C.cit_tok)
    eq(r.status, 201, r.text)
    # closing: further votes refused
    r = C.sec.api("POST", "/api/v1" + path + "/close", token=token("secretary"))
    eq(r.status, 200, r.text)
    r = C.cit.api("POST", "/api/v1" + path + "/votes", {"statement": 0, "vote": -1}, token=C.cit_tok)
    eq(r.status, 409, r.text)
    eq(r.json()["error"]["code"], "closed")


def test_import_results_page():
    rc, out = run("consultation", "import", "ncpt", BG, "--db", DB)
    assert rc == 0, out
    m = re.search(r"/councils/ncpt/consultations/(\d+)", out)
    assert m, out
    C.bg = int(m.group(1))
    path = "/councils/ncpt/consultations/%d/results" % C.bg
    r = Client(C.s).get(path)
    eq(r.status, 200, r.text[:500])
    assert len(r.body) < 60 * 1024, len(r.body)
    contains(r.text, "<svg")
    groups = re.findall(r"<h2>Group ([A-Z]) ", r.text)
    eq(groups, ["A", "B"], "groups on the page")
    contains(r.text, "What unites the participants")
    contains(r.text, "CC BY 4.0")
    assert r.text.count("<circle") > 10
    # the interface language: Russian headings when asked
    r = Client(C.s).get(path + "?lang=ru")
    eq(r.status, 200)
    r = Client(C.s).api("GET", "/api/v1/councils/ncpt/consultations/%d/results" % C.bg)
    eq(r.status, 200)
    eq(len(r.json()["groups"]), 2)
    # the demo's own consultation has its results too
    r = Client(C.s).get("/councils/ncpt/consultations")
    contains(r.text, "Different opinions, but one nation")


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_export_round_trip():
    base = "/councils/ncpt/consultations/%d/export/" % C.bg
    cl = Client(C.s)
    votes = cl.get(base + "votes.csv")
    eq(votes.status, 200)
    contains(votes.headers.get("content-type", ""), "text/csv")
    comments = cl.get(base + "comments.csv")
    eq(comments.status, 200)
    with open(os.path.join(BG, "votes.csv"), newline="") as f:
        src_votes = list(csv.DictReader(f))
    with open(os.path.join(BG, "comments.csv"), newline="") as f:
        src_comments = list(csv.DictReader(f))
    key = lambda v: (v["timestamp"], v["comment-id"], v["voter-id"], v["vote"])  # noqa: E731
    eq(sorted(map(key, read_csv(votes.text))), sorted(map(key, src_votes)), "votes round trip")
    got = {c["comment-id"]: c for c in read_csv(comments.text)}
    eq(len(got), len(src_comments))
    for c in src_comments:
        g = got[c["comment-id"]]
        for f in ("timestamp", "author-id", "agrees", "disagrees", "moderated", "is-meta", "is-seed", "comment-body"):
            eq(g[f], c[f], "comment %s %s" % (c["comment-id"], f))
    for name in ("participants-votes.csv", "summary.csv", "stats-history.csv"):
        eq(cl.get(base + name).status, 200, name)
    eq(cl.get(base + "secrets.csv").status, 404)
    # the CLI writes the same files, which the Pol.is reader of kenes opinion reads back
    d = tempfile.mkdtemp(prefix="kenes-consult-")
    rc, out = run("consultation", "export", str(C.bg), d, "--db", DB)
    assert rc == 0, out
    with open(os.path.join(d, "votes.csv")) as f:
        eq(sorted(map(key, read_csv(f.read()))), sorted(map(key, src_votes)), "CLI votes")
    rc, out = run("opinion", "analyze", d)
    assert rc == 0 and "groups: 2" in out, out
    for n in os.listdir(d):
        os.unlink(os.path.join(d, n))
    os.rmdir(d)


def test_bad_csv_refused():
    with open(os.path.join(BG, "votes.csv"), "rb") as f:
        votes = f.read()
    bad_comments = b"timestamp,comment-id,author-id,moderated,comment-body\n1,0,0,1,ok\n2,1,0,banana,bad\n"
    body, ctype = multipart({"csrf": C.sec.get("/councils/ncpt/consultations/import").csrf(), "question": "Bad"},
                            {"comments": ("comments.csv", bad_comments), "votes": ("votes.csv", votes)})
    r = C.sec.request("POST", "/councils/ncpt/consultations/import", body=body, ctype=ctype)
    eq(r.status, 422, r.text[:300])
    contains(r.text, "comments.csv: line 3")
    # the CLI names the line too, and nothing was written
    d = tempfile.mkdtemp(prefix="kenes-consult-bad-")
    with open(os.path.join(d, "comments.csv"), "wb") as f:
        f.write(b"timestamp,comment-id,author-id,moderated,comment-body\n1,0,0,1,ok\n")
    with open(os.path.join(d, "votes.csv"), "wb") as f:
        f.write(b"timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,x,0,2,7\n")
    n0 = len(Client(C.s).api("GET", "/api/v1/councils/ncpt/consultations").json()["consultations"])
    rc, out = run("consultation", "import", "ncpt", d, "--db", DB)
    assert rc != 0 and "votes.csv" in out and "line 3" in out, out
    eq(len(Client(C.s).api("GET", "/api/v1/councils/ncpt/consultations").json()["consultations"]), n0)
    for n in os.listdir(d):
        os.unlink(os.path.join(d, n))
    os.rmdir(d)
    # a good upload works through the form (a citizen may not upload)
    with open(os.path.join(BG, "comments.csv"), "rb") as f:
        comments = f.read()
    with open(os.path.join(BG, "summary.csv"), "rb") as f:
        summary = f.read()
    # without a question and without summary.csv: the question is asked for
    body, ctype = multipart({"csrf": C.sec.get("/councils/ncpt/consultations/import").csrf(), "question": ""},
                            {"comments": ("comments.csv", comments), "votes": ("votes.csv", votes)})
    r = C.sec.request("POST", "/councils/ncpt/consultations/import", body=body, ctype=ctype)
    eq(r.status, 422, r.text[:300])
    # the topic of summary.csv becomes the question
    body, ctype = multipart({"csrf": C.sec.get("/councils/ncpt/consultations/import").csrf(), "question": ""},
                            {"comments": ("comments.csv", comments), "votes": ("votes.csv", votes),
                             "summary": ("summary.csv", summary)})
    r = C.sec.request("POST", "/councils/ncpt/consultations/import", body=body, ctype=ctype)
    eq(r.status, 303, r.text[:300])
    r = C.sec.get(r.headers["location"])
    eq(r.status, 200)
    contains(r.text, "build the BG of 2050")
    eq(C.cit.get("/councils/ncpt/consultations/import").status, 403)


def main():
    rc, out = run("migrate", "--db", DB)
    assert rc == 0, out
    rc, out = run("demo", "--db", DB)
    assert rc == 0, out
    C.s = Server(BIN, DB, env=ENV)
    suite = Suite("test_consultation (%s)" % LABEL)
    try:
        for t in (test_secretary_creates, test_statements_and_moderation, test_vote_form_and_api,
                  test_anonymous_per_browser, test_import_results_page, test_export_round_trip,
                  test_bad_csv_refused):
            suite.run(t)
    finally:
        C.s.stop()
    return suite.summary()


if __name__ == "__main__":
    sys.exit(main())
