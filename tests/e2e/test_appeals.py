#!/usr/bin/env python3
"""test_appeals.py: end-to-end tests of the direct channel (appeals) against the real binary.

usage: test_appeals.py BINARY DB_URL LABEL
DB_URL must name an empty database. The test loads the demo data, starts a
tiny SMTP stand-in on 127.0.0.1 (standard library only; it refuses the first
message and accepts the rest, to exercise the retry), and starts `kenes serve`
with --test-clock, the deadline scanner every second and mail through the
stand-in. It files appeals through the HTML form (multipart, attachments) and
the API, triages, forwards, acknowledges, replies, resolves, reopens, checks
bad attachments, rate limits (a second server with low limits), the
escalation ladder (the clock moved; kenes tick run twice at once beside the
server's scanner) and that confidential appeals leak nowhere public.
"""
import base64
import email.header
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Server, Suite, contains, eq  # noqa: E402

BIN, DB, LABEL = sys.argv[1], sys.argv[2], sys.argv[3]
PW = "demo-password-1"
ENV = {"KENES_DEMO_PASSWORD": PW}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def run(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True, env=e, timeout=120)
    return p.returncode, p.stdout + p.stderr


# ---- a tiny SMTP server ---------------------------------------------------------

class SmtpStandIn:
    """Speaks enough SMTP for libcurl; records accepted messages. The first
    `fail_first` transactions are refused at DATA with a 451."""

    def __init__(self, fail_first=1):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.fail_left = fail_first
        self.refused = 0
        self.messages = []
        self.lock = threading.Lock()
        self.stopped = False
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        f = conn.makefile("rb")
        def send(line):
            conn.sendall(line.encode() + b"\r\n")
        try:
            send("220 stand-in ESMTP")
            rcpt, sender = [], None
            while True:
                line = f.readline()
                if not line:
                    return
                cmd = line.decode("utf-8", "replace").strip()
                up = cmd.upper()
                if up.startswith("EHLO") or up.startswith("HELO"):
                    send("250-stand-in")
                    send("250 8BITMIME")
                elif up.startswith("MAIL FROM:"):
                    sender, rcpt = cmd[10:].strip(), []
                    send("250 OK")
                elif up.startswith("RCPT TO:"):
                    rcpt.append(cmd[8:].strip().strip("<>"))
                    send("250 OK")
                elif up == "DATA":
                    with self.lock:
                        fail = self.fail_left > 0
                        if fail:
                            self.fail_left -= 1
                            self.refused += 1
                    if fail:
                        send("451 try again later")
                        continue
                    send("354 go ahead")
                    data = b""
                    while True:
                        l = f.readline()
                        if not l or l in (b".\r\n", b".\n"):
                            break
                        data += l
                    with self.lock:
                        self.messages.append({"from": sender, "to": rcpt, "data": data.decode("utf-8", "replace")})
                    send("250 queued")
                elif up == "QUIT":
                    send("221 bye")
                    return
                elif up in ("RSET", "NOOP"):
                    send("250 OK")
                else:
                    send("502 not implemented")
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self):
        self.stopped = True
        self.sock.close()


def subject_of(data):
    m = re.search(r"^Subject: (.*)$", data, re.M)
    if not m:
        return ""
    return "".join(p.decode(c or "utf-8") if isinstance(p, bytes) else p
                   for p, c in email.header.decode_header(m.group(1).strip()))


# ---- helpers ----------------------------------------------------------------------

def multipart(fields, files):
    boundary = "----kenes-test-boundary-7MA4YWxk"
    out = b""
    for k, v in fields.items():
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode()
    for name, filename, data, ctype in files:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n"
                % (boundary, name, filename, ctype)).encode() + data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return out, "multipart/form-data; boundary=" + boundary


def login(srv, who, password=PW):
    c = Client(srv)
    c.login(who, password)
    return c


def token(srv, who, password=PW):
    r = Client(srv).api("POST", "/api/v1/tokens", {"login": who, "password": password, "name": "t"})
    eq(r.status, 201, r.text)
    return r.json()["token"]


def file_html(c, fields, files=(), council="ncpt"):
    page = c.get("/councils/%s/appeals/new" % council)
    eq(page.status, 200, page.text[:300])
    f = {"subject": "", "body": "", "category": "taxes", "urgency": "normal", "scale": "sector",
         "affected": "", "concerns": "", "visibility": "public", "csrf": page.csrf()}
    f.update(fields)
    body, ctype = multipart(f, files)
    return c.request("POST", "/councils/%s/appeals/new" % council, body=body, ctype=ctype)


def ref_of(resp):
    m = re.search(r"/appeals/([A-Z]+-\d{4}-\d{6})", resp.headers.get("location", ""))
    assert m, "no reference in %r (%d %s)" % (resp.headers.get("location"), resp.status, resp.text[:400])
    return m.group(1)


def act(c, path, fields):
    """POSTs an action form found on the appeal page (CSRF from that page)."""
    page = c.get(path.rsplit("/", 1)[0] if "/agencies/" not in path else "/councils/ncpt/appeals/" + path.split("/")[4])
    f = dict(fields)
    f["csrf"] = page.csrf() or c.get("/inbox").csrf()
    return c.post(path, f)


def api_json(srv, path, tok=None):
    r = Client(srv).api("GET", path, token=tok)
    return r


# ---- tests ------------------------------------------------------------------------------

def test_file_html_with_attachment(s):
    c = login(s["srv"], "citizen")
    r = file_html(c, {"subject": "Invoice portal rejects every waybill", "body": "Since Monday every waybill is "
                      "rejected with error 500.", "urgency": "urgent"},
                  [("files", "waybill.png", PNG, "application/octet-stream"),
                   ("files", "scan.pdf", PDF, "image/png")])
    eq(r.status, 303, r.text[:500])
    ref = ref_of(r)
    s["ref_html"] = ref
    page = c.get("/councils/ncpt/appeals/%s?filed=1" % ref)
    eq(page.status, 200)
    contains(page.text, ref)
    contains(page.text, "Invoice portal rejects every waybill")
    links = re.findall(r'href="(/councils/ncpt/appeals/%s/files/\d+)">([^<]+)<' % ref, page.text)
    eq(len(links), 2, "two attachments listed")
    got = {}
    for href, name in links:
        d = Client(s["srv"]).get(href)  # a public appeal: anyone may read its files
        eq(d.status, 200)
        contains(d.headers.get("content-disposition", ""), "attachment")
        got[name] = (d.headers["content-type"], d.body)
    # the type is the sniffed one, whatever the client claimed
    eq(got["waybill.png"], ("image/png", PNG))
    eq(got["scan.pdf"], ("application/pdf", PDF))
    # the filer's inbox has the receipt; the secretariat's the new appeal
    contains(c.get("/inbox").text, ref)
    contains(login(s["srv"], "secretary").get("/inbox").text, ref)


def test_bad_attachments_refused(s):
    c = login(s["srv"], "citizen")
    before = len(api_json(s["srv"], "/api/v1/councils/ncpt/appeals").json()["appeals"])
    r = file_html(c, {"subject": "Renamed program", "body": "See the attached document please."},
                  [("files", "invoice.pdf", EXE, "application/pdf")])
    eq(r.status, 422)
    contains(r.text, "invoice.pdf")
    contains(r.text, "Only PDF, PNG, JPEG and WebP")
    contains(r.text, "Renamed program", "the form keeps what was typed")
    r = file_html(c, {"subject": "Too many", "body": "Four files attached to this one."},
                  [("files", "a%d.png" % i, PNG, "image/png") for i in range(4)])
    eq(r.status, 422)
    contains(r.text, "Too many attachments")
    r = file_html(c, {"subject": "Too big", "body": "A very large scan attached here."},
                  [("files", "big.png", PNG + b"\x00" * (5 * 1024 * 1024), "image/png")])
    eq(r.status, 422)
    contains(r.text, "larger than the limit")
    r = file_html(c, {"subject": "", "body": "x", "category": "nonsense", "scale": ""})
    eq(r.status, 422)
    for msg in ("This field is required.", "Choose a category from the list.", "Say who is affected"):
        contains(r.text, msg)
    # over the API: base64 attachments, the same checks
    tok = token(s["srv"], "citizen")
    r = Client(s["srv"]).api("POST", "/api/v1/councils/ncpt/appeals", {
        "subject": "Renamed program", "body": "See the attached document please.", "category": "taxes",
        "scale": "person", "attachments": [{"filename": "x.pdf", "data": base64.b64encode(EXE).decode()}]}, token=tok)
    eq(r.status, 422, r.text)
    eq(r.json()["error"]["field"], "files")
    after = len(api_json(s["srv"], "/api/v1/councils/ncpt/appeals").json()["appeals"])
    eq(after, before, "nothing was filed")


def test_file_api(s):
    tok = token(s["srv"], "member")
    r = Client(s["srv"]).api("POST", "/api/v1/councils/ncpt/appeals", {
        "subject": "Customs queue at Khorgos", "body": "Trucks wait five days at the border crossing.",
        "category": "business", "urgency": "normal", "scale": "sector", "affected": "Importers",
        "attachments": [{"filename": "photo.jpg", "data": base64.b64encode(PNG).decode()}]}, token=tok)
    eq(r.status, 201, r.text)
    a = r.json()
    assert re.match(r"^NCPT-\d{4}-\d{6}$", a["reference"]), a
    eq(a["state"], "submitted")
    s["ref_api"] = a["reference"]
    full = api_json(s["srv"], "/api/v1/councils/ncpt/appeals/" + a["reference"]).json()
    eq(full["attachments"][0]["type"], "image/png")
    eq(full["attachments"][0]["filename"], "photo.png")
    r = Client(s["srv"]).api("POST", "/api/v1/councils/ncpt/appeals", {"subject": 5}, token=tok)
    eq(r.status, 422)
    r = Client(s["srv"]).api("POST", "/api/v1/councils/ncpt/appeals", {"subject": "x", "body": "long enough text",
                                                                      "category": "taxes", "scale": "person"})
    eq(r.status, 401, "anonymous cannot file")


def test_triage_and_agency_work(s):
    srv = s["srv"]
    ref = s["ref_html"]
    base = "/councils/ncpt/appeals/" + ref
    sec, kgd, mvd, cit, other = (login(srv, w) for w in ("secretary", "officer-kgd", "officer", "citizen", "member"))
    # the routing rule suggests the State Revenue Committee for taxes
    page = sec.get(base)
    contains(page.text, "Routing rule suggests")
    contains(sec.get("/councils/ncpt/appeals/triage").text, ref)
    # only the secretariat triages
    eq(act(cit, base + "/forward", {"agency": "kgd"}).status, 403)
    eq(act(kgd, base + "/forward", {"agency": "kgd"}).status, 403)
    r = act(sec, base + "/forward", {"agency": ""})
    eq(r.status, 422)
    contains(r.text, "Choose the agency")
    eq(act(sec, base + "/forward", {"agency": "mvd", "note": "First guess."}).status, 303)
    # forwarded on to the right agency later: the history keeps both
    eq(act(sec, base + "/forward", {"agency": "kgd", "note": "Taxes: the State Revenue Committee."}).status, 303)
    page = Client(srv).get(base)
    contains(page.text, "State Revenue Committee")
    contains(page.text, "reforwarded")
    # the officer's queue; the wrong agency's officer cannot act
    contains(kgd.get("/agencies/kgd/appeals/queue").text, ref)
    eq(kgd.get("/agencies/mvd/appeals/queue").status, 403)
    eq(act(mvd, "/agencies/kgd/appeals/%s/acknowledge" % ref, {}).status, 403)
    eq(act(mvd, "/agencies/mvd/appeals/%s/acknowledge" % ref, {}).status, 404)
    eq(act(cit, "/agencies/kgd/appeals/%s/acknowledge" % ref, {}).status, 403)
    eq(act(kgd, "/agencies/kgd/appeals/%s/acknowledge" % ref, {"text": "Received; the IT department is on it."}).status, 303)
    eq(act(kgd, "/agencies/kgd/appeals/%s/acknowledge" % ref, {}).status, 409, "acknowledged twice")
    # reply with an attachment (multipart)
    page = kgd.get(base)
    body, ctype = multipart({"csrf": page.csrf(), "text": "The fix is being tested."},
                            [("files", "plan.pdf", PDF, "application/pdf")])
    eq(kgd.request("POST", "/agencies/kgd/appeals/%s/reply" % ref, body=body, ctype=ctype).status, 303)
    # the filer answers
    eq(act(other, base + "/answer", {"text": "Not mine"}).status, 403)
    eq(act(cit, base + "/answer", {"text": "Still failing this morning."}).status, 303)
    # an extension asked and granted
    r = act(kgd, "/agencies/kgd/appeals/%s/extension" % ref, {"days": "0", "reason": ""})
    eq(r.status, 422)
    eq(act(kgd, "/agencies/kgd/appeals/%s/extension" % ref, {"days": "2", "reason": "Release on Thursday."}).status, 303)
    eq(act(sec, base + "/extension", {"decision": "grant"}).status, 303)
    # resolve; the filer reopens once
    eq(act(cit, "/agencies/kgd/appeals/%s/resolve" % ref, {"text": "self"}).status, 403)
    eq(act(kgd, "/agencies/kgd/appeals/%s/resolve" % ref, {"text": "Fixed in release 2.3."}).status, 303)
    eq(act(other, base + "/reopen", {"reason": "no"}).status, 403)
    eq(act(cit, base + "/reopen", {"reason": "Still rejected for exports."}).status, 303)
    eq(act(kgd, "/agencies/kgd/appeals/%s/resolve" % ref, {"text": "Exports fixed too."}).status, 303)
    page = cit.get(base)
    assert "Not resolved for you?" not in page.text, "reopen offered twice"
    r = act(cit, base + "/reopen", {"reason": "again"})
    eq(r.status, 422)
    contains(r.text, "only once")
    full = api_json(srv, "/api/v1/councils/ncpt/appeals/" + ref).json()
    eq(full["state"], "resolved")
    eq(full["reopened"], True)
    kinds = [m["kind"] for m in full["messages"]]
    for k in ("forward", "acknowledgement", "reply", "message", "extension", "extension_decision", "resolution",
              "reopen"):
        assert k in kinds, (k, kinds)
    # the filer was told
    contains(cit.get("/inbox").text, "The agency resolved the appeal")


def test_triage_api(s):
    srv = s["srv"]
    ref = s["ref_api"]
    sec, kgd = token(srv, "secretary"), token(srv, "officer-kgd")
    c = Client(srv)
    r = c.api("POST", "/api/v1/councils/ncpt/appeals/%s/ask" % ref, {"text": "Which crossing?"}, token=kgd)
    eq(r.status, 403)
    r = c.api("POST", "/api/v1/councils/ncpt/appeals/%s/ask" % ref, {"text": "Which crossing?"}, token=sec)
    eq(r.status, 200, r.text)
    eq(r.json()["state"], "info_requested")
    mem = token(srv, "member")
    r = c.api("POST", "/api/v1/councils/ncpt/appeals/%s/answer" % ref, {"text": "Khorgos."}, token=mem)
    eq(r.json()["state"], "submitted")
    r = c.api("POST", "/api/v1/councils/ncpt/appeals/%s/duplicate" % ref, {"of": ref}, token=sec)
    eq(r.status, 422)
    r = c.api("POST", "/api/v1/councils/ncpt/appeals/%s/duplicate" % ref, {"of": s["ref_html"]}, token=sec)
    eq(r.status, 200, r.text)
    eq(api_json(srv, "/api/v1/councils/ncpt/appeals/" + s["ref_html"]).json()["raised_by"], 2)
    contains(Client(srv).get("/councils/ncpt/appeals/" + s["ref_html"]).text, "People who raised this")
    r = c.api("POST", "/api/v1/councils/ncpt/appeals/%s/reject" % ref, {"text": "late"}, token=sec)
    eq(r.status, 409)


def test_moderation(s):
    srv = s["srv"]
    c = login(srv, "citizen")
    r = file_html(c, {"subject": "Officials are IDIOTS-XYZ", "body": "They are all IDIOTS-XYZ and thieves."})
    ref = ref_of(r)
    base = "/councils/ncpt/appeals/" + ref
    sec = login(srv, "secretary")
    eq(act(c, base + "/hide", {"reason": "x"}).status, 403)
    eq(act(sec, base + "/hide", {"reason": ""}).status, 422)
    eq(act(sec, base + "/hide", {"reason": "Insults."}).status, 303)
    pub = Client(srv).get(base)
    eq(pub.status, 200)
    assert "IDIOTS-XYZ" not in pub.text, "hidden text shown in public"
    contains(pub.text, "hidden by moderation")
    assert "IDIOTS-XYZ" not in Client(srv).get("/councils/ncpt/appeals").text
    assert "IDIOTS-XYZ" not in api_json(srv, "/api/v1/councils/ncpt/appeals/" + ref).text
    contains(sec.get(base).text, "IDIOTS-XYZ", "the secretariat sees the original")
    assert "IDIOTS-XYZ" not in c.get(base).text


SECRET = "SECRET-SUBJECT-Q7"
HIDDEN_NAME = "Zhanar Hiddenova"


def test_confidential_never_leaks(s):
    srv = s["srv"]
    stats0 = api_json(srv, "/api/v1/councils/ncpt/appeals/statistics").json()["total"]["received"]
    r = Client(srv).api("POST", "/api/v1/users", {"login": "zhanar", "display_name": HIDDEN_NAME,
                                                  "password": "zhanar-password-1"})
    eq(r.status, 201, r.text)
    tok = token(srv, "zhanar", "zhanar-password-1")
    r = Client(srv).api("POST", "/api/v1/councils/ncpt/appeals", {
        "subject": SECRET, "body": "SECRET-BODY-Q7 about a court clerk.", "category": "rights", "scale": "person",
        "visibility": "confidential"}, token=tok)
    eq(r.status, 201, r.text)
    ref = r.json()["reference"]
    r = Client(srv).api("POST", "/api/v1/councils/ncpt/appeals", {
        "subject": "Anonymous-Q7 pothole", "body": "A pothole on the main road.", "category": "housing",
        "scale": "group", "visibility": "anonymous"}, token=tok)
    eq(r.status, 201, r.text)
    anon_ref = r.json()["reference"]
    sec = token(srv, "secretary")
    r = Client(srv).api("POST", "/api/v1/councils/ncpt/appeals/%s/forward" % ref, {"agency": "kgd"}, token=sec)
    eq(r.status, 200, r.text)
    # who may see it
    eq(Client(srv).get("/councils/ncpt/appeals/" + ref).status, 403)
    eq(login(srv, "officer").get("/councils/ncpt/appeals/" + ref).status, 403)
    eq(login(srv, "citizen").get("/councils/ncpt/appeals/" + ref).status, 403)
    contains(login(srv, "officer-kgd").get("/councils/ncpt/appeals/" + ref).text, SECRET)
    contains(login(srv, "zhanar", "zhanar-password-1").get("/councils/ncpt/appeals/" + ref).text, SECRET)
    eq(Client(srv).api("GET", "/api/v1/councils/ncpt/appeals/" + ref).status, 403)
    eq(Client(srv).get("/councils/ncpt/appeals/%s/files/1" % ref).status, 403)
    # nothing public shows it or the hidden name
    pages = ["/councils/ncpt/appeals", "/councils/ncpt/appeals/statistics", "/agencies/kgd/appeals",
             "/api/v1/councils/ncpt/appeals", "/api/v1/councils/ncpt/appeals/statistics",
             "/api/v1/agencies/kgd/appeals/statistics", "/councils/ncpt/appeals?category=rights",
             "/councils/ncpt/feed.atom", "/agencies/kgd/feed.atom", "/councils/ncpt", "/agencies/kgd",
             "/councils/ncpt/appeals/" + anon_ref, "/api/v1/councils/ncpt/appeals/" + anon_ref]
    for p in pages:
        r = Client(srv).get(p)
        assert r.status in (200, 404), (p, r.status)
        for bad in (SECRET, "SECRET-BODY-Q7", HIDDEN_NAME, "zhanar"):
            assert bad not in r.text, "%s leaks %r" % (p, bad)
    # the public event of the confidential appeal: the state change only
    r = Client(srv).get("/councils/ncpt/feed.atom")
    # but it counts
    stats1 = api_json(srv, "/api/v1/councils/ncpt/appeals/statistics").json()["total"]["received"]
    eq(stats1, stats0 + 2)
    # the appeal without name is public, its filer is not
    page = Client(srv).get("/councils/ncpt/appeals/" + anon_ref)
    eq(page.status, 200)
    contains(page.text, "Anonymous-Q7 pothole")
    contains(page.text, "Name withheld")


def test_escalation_with_clock(s):
    srv = s["srv"]
    c = login(srv, "citizen")
    r = file_html(c, {"subject": "Ladder test appeal", "body": "Testing the escalation ladder.", "urgency": "urgent",
                      "category": "law", "scale": "group"})
    ref = ref_of(r)
    base = "/councils/ncpt/appeals/" + ref
    sec = login(srv, "secretary")
    eq(act(sec, base + "/forward", {"agency": "mvd"}).status, 303)
    op = token(srv, "operator")
    # twelve days later: every step of both deadlines is due
    r = Client(srv).api("POST", "/api/v1/_test/clock", {"advance": 12 * 86400}, token=op)
    eq(r.status, 200, r.text)
    now = r.json()["now"]
    # two kenes tick at once, beside the server's own scanner
    e = dict(os.environ)
    procs = [subprocess.Popen([BIN, "tick", "--db", DB, "--now", str(now + 5)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env=e) for _ in range(2)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    for p, o in zip(procs, outs):
        eq(p.returncode, 0, o)
        contains(o, "escalation step(s) taken")
    deadline = time.time() + 20
    steps = []
    while time.time() < deadline:
        steps = api_json(srv, "/api/v1/councils/ncpt/appeals/" + ref).json()["escalation"]
        if len(steps) >= 6:
            break
        time.sleep(0.3)
    keys = [(x["step"], x["due_at"]) for x in steps]
    eq(len(keys), len(set(keys)), "each step once")
    names = sorted(x["step"] for x in steps)
    eq(names, sorted(["ack_breach", "ack_flagged", "ack_agenda", "resolve_breach", "resolve_flagged",
                      "resolve_agenda"]))
    page = Client(srv).get(base)
    contains(page.text, "Overdue")
    contains(page.text, "Proposed for the next meeting")
    contains(login(srv, "officer").get("/inbox").text, ref)
    # a third tick finds nothing to do
    rc, out = run("tick", "--db", DB, "--now", str(now + 10))
    eq(rc, 0, out)
    contains(out, "0 escalation step(s) taken")
    Client(srv).api("POST", "/api/v1/_test/clock", {"advance": -12 * 86400}, token=op)


def test_mail_retry(s):
    srv, smtp = s["srv"], s["smtp"]
    r = Client(srv).api("POST", "/api/v1/users", {"login": "mailer", "display_name": "Mail Reader",
                                                  "email": "reader@example.org", "password": "mailer-password-1"})
    eq(r.status, 201, r.text)
    tok = token(srv, "mailer", "mailer-password-1")
    t0 = time.time()
    r = Client(srv).api("POST", "/api/v1/councils/ncpt/appeals", {
        "subject": "Mail test", "body": "Testing notification e-mail.", "category": "other", "scale": "person"},
        token=tok)
    eq(r.status, 201, r.text)
    assert time.time() - t0 < 5, "filing waited for the mail"
    ref = r.json()["reference"]
    deadline = time.time() + 30
    while time.time() < deadline:
        with smtp.lock:
            got = [m for m in smtp.messages if "reader@example.org" in m["to"]]
        if got:
            break
        time.sleep(0.3)
    assert got, "no e-mail arrived (refused so far: %d)" % smtp.refused
    assert smtp.refused >= 1, "the first attempt was refused and retried"
    subj = subject_of(got[0]["data"])
    contains(subj, ref)
    contains(subj, "Your appeal was received")
    contains(got[0]["data"], "/councils/ncpt/appeals/" + ref)
    assert "Testing notification" not in got[0]["data"], "no appeal text in e-mail"
    eq(len(got), 1, "sent once")


def test_rate_limits():
    srv = Server(BIN, DB, ["--appeal-rate-account", "2", "--appeal-rate-address", "3", "--trust-proxy",
                           "--scan-interval", "0"])
    try:
        for login_name in ("rl-one", "rl-two"):
            r = Client(srv).api("POST", "/api/v1/users", {"login": login_name, "display_name": login_name,
                                                          "password": "rate-limit-pass-1"})
            eq(r.status, 201, r.text)
        hdr = {"X-Forwarded-For": "203.0.113.77"}
        one = Client(srv)
        one.login("rl-one", "rate-limit-pass-1")
        def file_as(c, n):
            page = c.get("/councils/ncpt/appeals/new", headers=hdr)
            body, ctype = multipart({"csrf": page.csrf(), "subject": "Rate %d" % n, "body": "Rate limit test body.",
                                     "category": "other", "urgency": "normal", "scale": "person",
                                     "visibility": "public"}, [])
            return c.request("POST", "/councils/ncpt/appeals/new", body=body, ctype=ctype, headers=hdr)
        eq(file_as(one, 1).status, 303)
        eq(file_as(one, 2).status, 303)
        r = file_as(one, 3)
        eq(r.status, 429, "per account")
        contains(r.text, "too many appeals")
        two = Client(srv)
        two.login("rl-two", "rate-limit-pass-1")
        eq(file_as(two, 4).status, 303)
        r = file_as(two, 5)
        eq(r.status, 429, "per address")
        tok = token(srv, "rl-two", "rate-limit-pass-1")
        r = Client(srv).api("POST", "/api/v1/councils/ncpt/appeals", {
            "subject": "Rate API", "body": "Rate limit over the API.", "category": "other", "scale": "person"},
            token=tok, headers=hdr)
        eq(r.status, 429)
        eq(r.json()["error"]["code"], "rate_limited")
    finally:
        srv.stop()


def test_settings_and_calendar(s):
    srv = s["srv"]
    sec = login(srv, "secretary")
    page = sec.get("/councils/ncpt/appeals/settings")
    eq(page.status, 200)
    # a small registry is offered as the routing fields' list
    contains(page.text, '<datalist id="agencies"><option value="')
    contains(page.text, 'name="route_taxes" type="text"')
    eq(login(srv, "citizen").get("/councils/ncpt/appeals/settings").status, 403)
    r = sec.post("/councils/ncpt/appeals/settings", {"csrf": page.csrf(), "ack_urgent": "9", "resolve_urgent": "5",
                                                    "ack_normal": "3", "resolve_normal": "15", "remind_hours": "24",
                                                    "flag_days": "1", "agenda_days": "3"})
    eq(r.status, 422)
    contains(r.text, "Acknowledgement cannot be due after resolution.")
    op = login(srv, "operator")
    page = op.get("/admin/calendar")
    eq(page.status, 200)
    eq(login(srv, "citizen").get("/admin/calendar").status, 403)
    r = op.post("/admin/calendar", {"csrf": page.csrf(), "text": "weekend sat sun\nfixd 01-01 moves New Year\n"})
    eq(r.status, 422)
    contains(r.text, "line 2")
    text = page.text.split('name="text"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    import html as h
    text = h.unescape(text) + "off 2031-01-13 Test day off\n"
    r = op.post("/admin/calendar", {"csrf": page.csrf(), "text": text})
    eq(r.status, 303, r.text[:300])
    rc, out = run("calendar", "add", "2031-01-10", "1", "--db", DB)
    eq(rc, 0, out)
    contains(out, "2031-01-14")
    contains(out, "Test day off")
    rc, out = run("calendar", "add", "2031-01-10", "1")
    contains(out, "2031-01-13", "without --db: the built-in calendar")


def test_demo_invoice_case(s):
    srv = s["srv"]
    a = api_json(srv, "/api/v1/councils/ncpt/appeals/NCPT-2021-000001").json()
    contains(a["subject"], "invoices")
    eq(a["agency"], "kgd")
    eq(a["urgency"], "urgent")
    page = Client(srv).get("/councils/ncpt/appeals/NCPT-2021-000001").text
    contains(page, "Marat Shibutov")
    contains(page, "2021-03-26")  # a Friday
    contains(page, "2021-03-29")  # acknowledged on the Monday
    contains(page, "on time")
    contains(page, "illustrative")
    st = Client(srv).get("/councils/ncpt/appeals/statistics")
    eq(st.status, 200)
    contains(st.text, "State Revenue Committee")
    assert len(st.body) < 60 * 1024


def main():
    suite = Suite("e2e-appeals[%s]" % LABEL)
    rc, out = run("demo", "--db", DB, env=ENV)
    if rc != 0:
        print("demo failed: " + out)
        return 1
    smtp = SmtpStandIn(fail_first=1)
    srv = Server(BIN, DB, ["--test-clock", "--scan-interval", "1", "--smtp-url", "smtp://127.0.0.1:%d" % smtp.port,
                           "--smtp-from", "kenes@example.org", "--smtp-retry", "1", "--base-url",
                           "https://kenes.example.org"])
    s = {"srv": srv, "smtp": smtp}
    try:
        for t in (test_demo_invoice_case, test_file_html_with_attachment, test_bad_attachments_refused,
                  test_file_api, test_triage_and_agency_work, test_triage_api, test_moderation,
                  test_confidential_never_leaks, test_mail_retry, test_escalation_with_clock,
                  test_settings_and_calendar):
            suite.run(t, s)
    finally:
        rc = srv.stop()
        smtp.stop()
    if rc != 0:
        print("  FAIL server exit status %s\n%s" % (rc, srv.log()))
        suite.failed += 1
    suite.run(test_rate_limits)
    return suite.summary()


if __name__ == "__main__":
    sys.exit(main())
