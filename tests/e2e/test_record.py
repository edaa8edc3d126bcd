#!/usr/bin/env python3
"""test_record.py: end-to-end tests of the public record against the real binary.

usage: test_record.py BINARY DB_URL LABEL
DB_URL must name an empty database. Loads the demo data, creates the
installation key, and checks: the hash chain and checkpoints across server
restarts (kenes verify); feeds and calendars parsed by independent parsers
(Debian's python3-feedparser and python3-icalendar, run with /usr/bin/python3);
Telegram delivery to a local stand-in of the Bot API, with a 429 retry_after
and a restart in the middle of the queue (nothing lost, nothing twice, in
order); signed webhooks; the open-data export re-checked by sha256sum -c.
"""
import csv
import hashlib
import hmac
import io
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Server, Suite, contains, eq  # noqa: E402

BIN, DB, LABEL = sys.argv[1], sys.argv[2], sys.argv[3]
PW = "demo-password-1"
ENV = {"KENES_DEMO_PASSWORD": PW}
TMP = tempfile.mkdtemp(prefix="kenes-record-")
KEY = os.path.join(TMP, "k.key")
TOKEN = "123456:TEST-token-abcdefghijklmnop"


def run(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True, env=e, timeout=120)
    return p.returncode, p.stdout + p.stderr


# ---- a stand-in for the Telegram Bot API and a webhook receiver -------------

class StandIn:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []      # (chat_id, text) acknowledged
        self.calls = 0
        self.fail_429_once = set()  # texts answered 429 on their first try
        self.delay = 0.0
        self.hooks = []         # (headers, body)
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                if self.path.startswith("/hook"):
                    with outer.lock:
                        outer.hooks.append((dict(self.headers), body))
                    self.send_response(200)
                    self.end_headers()
                    return
                ok_path = self.path == "/bot%s/sendMessage" % TOKEN
                msg = json.loads(body)
                time.sleep(outer.delay)
                with outer.lock:
                    outer.calls += 1
                    if ok_path and len(outer.messages) == 1 and "429" not in outer.fail_429_once:
                        outer.fail_429_once.add("429")
                        code, out = 429, {"ok": False, "error_code": 429,
                                          "description": "Too Many Requests: retry after 2",
                                          "parameters": {"retry_after": 2}}
                    elif not ok_path:
                        code, out = 401, {"ok": False, "description": "Unauthorized"}
                    else:
                        outer.messages.append((msg["chat_id"], msg["text"], msg.get("parse_mode")))
                        code, out = 200, {"ok": True, "result": {"message_id": len(outer.messages)}}
                data = json.dumps(out).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self):
        return "http://127.0.0.1:%d" % self.port


STAND = StandIn()
EXTRA = ["--key-file", KEY, "--telegram-api", STAND.url(), "--checkpoint-events", "5",
         "--base-url", "http://kenes.test", "--test-clock", "true"]


def server():
    return Server(BIN, DB, extra=EXTRA, env=ENV)


def operator(s):
    c = Client(s)
    c.login("operator", PW)
    return c


def token(c):
    r = Client(c.server).api("POST", "/api/v1/tokens", {"name": "record-test", "login": "operator", "password": PW})
    eq(r.status, 201, r.text)
    return r.json()["token"]


# ---- tests -------------------------------------------------------------------

def test_setup():
    rc, out = run("demo", "--db", DB, env=ENV)
    eq(rc, 0, out)
    rc, out = run("keygen", "--key-file", KEY)
    eq(rc, 0, out)
    eq(oct(os.stat(KEY).st_mode & 0o777), "0o600")
    rc, out = run("keygen", "--key-file", KEY)
    eq(rc, 1, "keygen refuses to overwrite: " + out)
    rc, out = run("verify", "--db", DB, "--key-file", KEY)
    eq(rc, 0, out)
    contains(out, "records match their events")


def test_chain_and_checkpoints_across_restarts():
    s = server()
    try:
        c = operator(s)
        tok = token(c)
        for i in range(3):
            r = c.api("PUT", "/api/v1/councils/ncpt", {"description": "Round %d of edits." % i}, token=tok)
            eq(r.status, 200, r.text)
        deadline = time.time() + 10
        while time.time() < deadline:
            r = c.get("/api/v1/checkpoints/latest")
            if r.status == 200:
                break
            time.sleep(0.2)
        eq(r.status, 200, "a checkpoint was signed by the server")
        cp = r.json()
        pk = c.get("/api/v1/public-key").json()["public_key"]
        eq(cp["public_key"], pk)
        page = c.get("/transparency")
        eq(page.status, 200)
        contains(page.text, pk)
        contains(page.text, "kenes verify --dump")
    finally:
        s.stop()
    s = server()  # a restart: the chain continues
    try:
        c = operator(s)
        tok = token(c)
        r = c.api("PUT", "/api/v1/councils/ncpt", {"description": "After the restart."}, token=tok)
        eq(r.status, 200, r.text)
    finally:
        s.stop()
    rc, out = run("checkpoint", "--db", DB, "--key-file", KEY)
    eq(rc, 0, out)
    rc, out = run("verify", "--db", DB, "--key-file", KEY)
    eq(rc, 0, out)
    contains(out, "checkpoint signatures verified")


FEED_CHECK = r'''
import sys, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
assert not d.bozo, d.bozo_exception
print(d.feed.title)
print(d.feed.id)
for e in d.entries:
    print(e.id, "|", e.title, "|", e.link)
'''

ICS_CHECK = r'''
import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
for ev in cal.walk("VEVENT"):
    print(ev["UID"], "|", ev["SUMMARY"], "|", ev.get("LOCATION", ""), "|", ev["DTSTART"].dt.isoformat())
'''


def parse_with(script, data):
    p = subprocess.run(["/usr/bin/python3", "-c", script], input=data, capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr.decode()
    return p.stdout.decode()


def test_feeds_parsed_independently():
    s = server()
    try:
        c = Client(s)
        r = c.get("/councils/ncpt/feed.atom")
        eq(r.status, 200, r.text[:300])
        contains(r.headers["content-type"], "application/atom+xml")
        out = parse_with(FEED_CHECK, r.body)
        lines = out.strip().splitlines()
        assert lines[1].startswith("tag:"), lines[1]
        entries = lines[2:]
        contains(r.text, "After the restart.", "the latest change is in the feed")
        assert len(entries) >= 5, out
        assert all(e.startswith("tag:") and ":event/" in e.split(" |")[0] for e in entries), out
        assert any("http://kenes.test/councils/ncpt" in e for e in entries), out
        first_ids = [e.split(" |")[0] for e in entries]
        again = parse_with(FEED_CHECK, c.get("/councils/ncpt/feed.atom").body)
        eq([e.split(" |")[0] for e in again.strip().splitlines()[2:]], first_ids, "stable ids")
        # in Russian: the interface language
        ru = Client(s, lang="ru")
        r_ru = ru.get("/councils/ncpt/feed.atom")
        contains(r_ru.text, 'xml:lang="ru"', "the feed follows the interface language")
        parse_with(FEED_CHECK, r_ru.body)
        # an agency and a record
        r = c.get("/agencies/kgd/feed.atom")
        eq(r.status, 200)
        parse_with(FEED_CHECK, r.body)
        r = c.get("/feeds/council/1.atom")
        eq(r.status, 200)
        parse_with(FEED_CHECK, r.body)
        eq(c.get("/feeds/council/999999.atom").status, 404)
        eq(c.get("/feeds/council/x.atom").status, 404)
        # the meetings calendar
        r = c.get("/councils/ncpt/meetings.ics")
        eq(r.status, 200, r.text[:300])
        contains(r.headers["content-type"], "text/calendar")
        for ln in r.body.split(b"\r\n"):
            assert len(ln) <= 75, "folded at 75 octets: %r" % ln
        out = parse_with(ICS_CHECK, r.body)
        assert "meeting-" in out or out == "", out
    finally:
        s.stop()


def test_telegram_429_and_restart_mid_queue():
    s = server()
    try:
        c = operator(s)
        tok = token(c)
        bad = c.api("PUT", "/api/v1/councils/ncpt/telegram", {"bot_token": "nope", "chat_id": "x"}, token=tok)
        eq(bad.status, 422, bad.text)
        r = c.api("PUT", "/api/v1/councils/ncpt/telegram",
                  {"bot_token": TOKEN, "chat_id": "@ncpt_channel", "lang": "ru", "event_kinds": "council"},
                  token=tok)
        eq(r.status, 200, r.text)
        assert "bot_token" not in r.json() and r.json()["has_token"], r.text
        STAND.delay = 0.3
        for i in range(6):
            r = c.api("PUT", "/api/v1/councils/ncpt", {"description": "Published change %d." % i}, token=tok)
            eq(r.status, 200, r.text)
        # wait for the first messages, then restart mid-queue
        deadline = time.time() + 15
        while time.time() < deadline and len(STAND.messages) < 2:
            time.sleep(0.1)
        assert len(STAND.messages) >= 2, "first messages delivered (%d)" % len(STAND.messages)
    finally:
        s.stop()
    got_before = len(STAND.messages)
    assert got_before < 6, "the restart came in the middle of the queue (%d sent)" % got_before
    STAND.delay = 0
    s = server()
    try:
        deadline = time.time() + 30
        while time.time() < deadline and len(STAND.messages) < 6:
            time.sleep(0.2)
    finally:
        s.stop()
    texts = [m[1] for m in STAND.messages]
    eq(len(texts), 6, "every message once: %r" % texts)
    order = [int(t.split("Published change ")[-1][0]) for t in texts]
    eq(order, list(range(6)), "in order")
    assert "429" in STAND.fail_429_once, "a 429 was answered and honoured"
    assert all(m[0] == "@ncpt_channel" and m[2] == "HTML" for m in STAND.messages)
    assert "http://kenes.test/councils/ncpt" in texts[0], texts[0]
    assert "<b>" in texts[0] and "<a href=" in texts[0], texts[0]


def test_webhook_signed():
    s = server()
    try:
        c = operator(s)
        tok = token(c)
        r = c.api("POST", "/api/v1/webhooks", {"url": "ftp://x"}, token=tok)
        eq(r.status, 422, r.text)
        r = c.api("POST", "/api/v1/webhooks", {"url": STAND.url() + "/hook", "event_kinds": "agency"}, token=tok)
        eq(r.status, 201, r.text)
        secret = r.json()["secret"]
        r = c.api("PUT", "/api/v1/agencies/kgd", {"website": "https://kgd.example.kz"}, token=tok)
        eq(r.status, 200, r.text)
        deadline = time.time() + 15
        while time.time() < deadline and not STAND.hooks:
            time.sleep(0.1)
        assert STAND.hooks, "webhook delivered"
        headers, body = STAND.hooks[0]
        want = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        eq(headers.get("X-Kenes-Signature"), want, "HMAC-SHA256 over the body")
        ev = json.loads(body)
        eq(ev["kind"], "agency")
        eq(ev["change"]["website"][1], "https://kgd.example.kz")
    finally:
        s.stop()


def metric(c, name):
    m = re.search(r"^%s (\d+)$" % name, c.get("/metrics").text, re.M)
    assert m, name
    return int(m.group(1))


def open_data_served_from_one_export():
    """/open-data and its files come from one export, made once and made again only when the log has moved on
    and it is open_data_minutes (10) old, in the background: a view or a download reads no record, and
    SHA256SUMS always matches the files beside it."""
    s = server()
    try:
        c = Client(s)
        op = token(c)
        page = c.get("/open-data")
        eq(page.status, 200)
        head = int(re.search(r"as of event <strong>#(\d+)</strong>", page.text).group(1))
        contains(page.text, "at most every 10 minutes")
        eq(json.loads(c.get("/open-data/export.json").body)["head"]["seq"], head)
        for _ in range(3):
            eq(c.get("/open-data/SHA256SUMS").status, 200)
        eq(metric(c, "kenes_open_data_builds_total"), 1, "one export for every view and download")
        # the whole export in one archive: what the page says it weighs, every file of SHA256SUMS with its
        # digest, and kenes verify --dump passes on it unpacked
        r = c.get("/open-data/kenes-open-data.tar")
        eq((r.status, r.headers["content-type"]), (200, "application/x-tar"))
        contains(r.headers["content-disposition"], "kenes-open-data-%d.tar" % head)
        contains(page.text, "kenes-open-data.tar</a> (%d bytes)" % len(r.body))
        with tarfile.open(fileobj=io.BytesIO(r.body)) as tar:
            sums = tar.extractfile("SHA256SUMS").read().decode()
            eq(sums, c.get("/open-data/SHA256SUMS").text)
            for line in sums.strip().splitlines():
                digest, name = line.split("  ")
                eq(hashlib.sha256(tar.extractfile(name).read()).hexdigest(), digest, name)
            unpacked = tempfile.mkdtemp(dir=TMP)
            tar.extractall(unpacked)
        rc, out = run("verify", "--dump", unpacked, "--key-file", KEY)
        eq(rc, 0, out)
        eq(metric(c, "kenes_open_data_builds_total"), 1)
        # downloads that are not read (a slow phone's, say) hold no database connection: more of them than the
        # pool has connections, and the site still answers (it stopped answering at all, the worker threads
        # waiting for a connection that only the answers they were to send would give back)
        slow = []
        for _ in range(8):
            k = socket.socket()
            k.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            k.connect(("127.0.0.1", s.port))
            k.sendall(b"GET /open-data/kenes-open-data.tar HTTP/1.1\r\nHost: kenes.test\r\n\r\n")
            slow.append(k)
        try:
            time.sleep(0.5)
            with urllib.request.urlopen("http://127.0.0.1:%d/councils" % s.port, timeout=10) as r:
                eq(r.status, 200)
        finally:
            for k in slow:
                k.close()
        # a write moves the log on: the export stays as it was for now, whole
        r = Client(s).api("POST", "/api/v1/agencies", {"slug": "open-data-test", "name": {"en": "Open data test"},
                                                       "kind": "ministry"}, token=op)
        eq(r.status, 201, r.text)
        eq(json.loads(c.get("/open-data/export.json").body)["head"]["seq"], head)
        sums = c.get("/open-data/SHA256SUMS").text
        agencies = c.get("/open-data/agencies.csv")
        assert b"open-data-test" not in agencies.body
        contains(sums, hashlib.sha256(agencies.body).hexdigest() + "  agencies.csv")
        eq(metric(c, "kenes_open_data_builds_total"), 1)
        # ten minutes later it is made again, at the new head, in the background: the request that finds it
        # due is served the one before, at once
        eq(Client(s).api("POST", "/api/v1/_test/clock", {"advance": 601}, token=op).status, 200)
        try:
            eq(json.loads(c.get("/open-data/export.json").body)["head"]["seq"], head)
            for _ in range(100):
                now = json.loads(c.get("/open-data/export.json").body)["head"]["seq"]
                if now != head:
                    break
                time.sleep(0.1)
            assert now > head, (now, head)
            agencies = c.get("/open-data/agencies.csv")
            assert b"open-data-test" in agencies.body
            contains(c.get("/open-data/SHA256SUMS").text, hashlib.sha256(agencies.body).hexdigest() + "  agencies.csv")
            contains(c.get("/open-data").text, "as of event <strong>#%d</strong>" % now)
            eq(metric(c, "kenes_open_data_builds_total"), 2)
        finally:
            Client(s).api("POST", "/api/v1/_test/clock", {"advance": -601}, token=op)
    finally:
        s.stop()


def test_export_sha256sum():
    out_dir = os.path.join(TMP, "export")
    rc, out = run("export", "--db", DB, "--key-file", KEY, out_dir)
    eq(rc, 0, out)
    p = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out_dir, capture_output=True, text=True)
    eq(p.returncode, 0, p.stdout + p.stderr)
    assert p.stdout.count(": OK") >= 13, p.stdout
    rc, out = run("verify", "--dump", out_dir, "--key-file", KEY)
    eq(rc, 0, out)
    # a journalist without the installation's key: the key comes from the
    # folder, said so, and no warning about signing checkpoints
    rc, out = run("verify", "--dump", out_dir, "--key-file", os.path.join(TMP, "no-such.key"))
    eq(rc, 0, out)
    contains(out, "taken from the data: compare it with the published key")
    assert "no installation key" not in out and "error" not in out, out
    # every record kind of the loop, the appeals and the careers, in the signed manifest
    listed = open(os.path.join(out_dir, "SHA256SUMS")).read()
    for table in ("meetings", "proposals", "assignments", "reports", "extensions", "reform_packages",
                  "reform_items", "laws", "appeals", "careers", "persons"):
        for ext in ("csv", "json"):
            contains(listed, "  %s.%s\n" % (table, ext), "SHA256SUMS lists it")
    rows = lambda name: list(csv.DictReader(open(os.path.join(out_dir, name), newline="", encoding="utf-8")))
    assignments = rows("assignments.csv")
    demo = [a for a in assignments if a["title"].startswith("Restore the state units for the protection of women")]
    eq(len(demo), 1, "the demo's assignment")
    eq(demo[0]["state"], "completed")
    eq(demo[0]["completed_on"], "2021-04-07")
    laws = rows("laws.csv")
    eq(len(laws), 7, "the 7 laws of the political reform package")
    assert all(l["stage"] == "adopted" and l["adopted_on"] for l in laws), laws
    reports = rows("reports.csv")
    assert any(r["final"] == "1" and r["evidence"] == "https://t.me/Ulttyq_kenes" for r in reports), reports
    appeals = rows("appeals.csv")
    assert appeals, "public appeals are exported"
    eq(sorted(set(a["visibility"] for a in appeals)), ["anonymous", "public"], "never a confidential appeal")
    assert not any(k.startswith("filer") for k in appeals[0]), "no filer column"
    assert "subject" not in appeals[0] and "body" not in appeals[0], "no appeal text (moderation must hold)"
    persons = rows("persons.csv")
    assert "bio" in persons[0], "persons.csv carries bio"
    # the confidential appeals' events carry their state only
    shown = set(int(a["id"]) for a in appeals)
    events = json.load(open(os.path.join(out_dir, "events.json")))
    hidden = [e for e in events if e["record_kind"] == "appeal" and e["record_id"] not in shown]
    assert hidden, "the demo has a confidential appeal"
    for e in hidden:
        assert set(json.loads(e["change"])) <= {"state"}, e
    for name in os.listdir(out_dir):
        data = open(os.path.join(out_dir, name), "rb").read()
        for secret in (b"password_hash", b"token_hash", b"bot_token", b"$argon2"):
            assert secret not in data, (name, secret)
    # the same files over HTTP
    s = server()
    try:
        c = Client(s)
        page = c.get("/open-data")
        eq(page.status, 200)
        contains(page.text, "SHA256SUMS")
        sums = c.get("/open-data/SHA256SUMS").text
        for line in sums.strip().splitlines():
            digest, name = line.split("  ")
            r = c.get("/open-data/" + name)
            eq(r.status, 200, name)
            eq(hashlib.sha256(r.body).hexdigest(), digest, name)
        eq(c.get("/open-data/nope.csv").status, 404)
    finally:
        s.stop()
    open_data_served_from_one_export()
    # tamper with a council row: verify names it
    if DB.startswith("sqlite:"):
        import sqlite3
        con = sqlite3.connect(DB[len("sqlite:"):])
        seats = con.execute("SELECT seats FROM councils WHERE slug = 'ncpt'").fetchone()[0]
        con.execute("UPDATE councils SET seats = 999 WHERE slug = 'ncpt'")
        con.commit()
        rc, out = run("verify", "--db", DB, "--key-file", KEY)
        eq(rc, 1, out)
        contains(out, "field seats")
        con.execute("UPDATE councils SET seats = ? WHERE slug = 'ncpt'", (seats,))
        con.commit()
        rc, out = run("verify", "--db", DB, "--key-file", KEY)
        eq(rc, 0, out)
        # and a loop record: an assignment's deadline moved behind the log's back
        aid = con.execute("SELECT MIN(id) FROM assignments").fetchone()[0]
        con.execute("UPDATE assignments SET deadline = '2099-12-31' WHERE id = ?", (aid,))
        con.commit()
        con.close()
        rc, out = run("verify", "--db", DB, "--key-file", KEY)
        eq(rc, 1, out)
        contains(out, "assignment %d, field deadline" % aid)


suite = Suite("test_record " + LABEL)
for t in (test_setup, test_chain_and_checkpoints_across_restarts, test_feeds_parsed_independently,
          test_telegram_429_and_restart_mid_queue, test_webhook_signed, test_export_sha256sum):
    suite.run(t)
sys.exit(suite.summary())
