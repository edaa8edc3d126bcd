"""harness.py: start the real kenes binary on a loopback port and talk HTTP to it.

Used by the end-to-end tests. Standard library only. A server started here
listens on 127.0.0.1 only and is stopped (SIGTERM, then SIGKILL) by its PID.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.parse


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, binary, db, extra=(), env=None, log=None, port=None):
        self.binary = binary
        self.db = db
        self.port = port or free_port()
        self.log_path = log or "/tmp/kenes-e2e-%d.log" % self.port
        args = [binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % self.port,
                "--access-log", "-", "--threads", "2"] + list(extra)
        e = dict(os.environ)
        e.update(env or {})
        self.logf = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, stdout=self.logf, stderr=subprocess.STDOUT, env=e)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("kenes exited with %s: %s" % (self.proc.returncode, self.log()))
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    c.close()
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("kenes did not become ready: " + self.log())

    def log(self):
        try:
            with open(self.log_path) as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.logf.close()
        return self.proc.returncode


class Response:
    def __init__(self, r, body):
        self.status = r.status
        self.headers = {k.lower(): v for k, v in r.getheaders()}
        self.header_list = r.getheaders()
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.text)

    def csrf(self):
        m = re.search(r'name="csrf" value="([^"]+)"', self.text)
        return m.group(1) if m else None


class Client:
    """A browser-like client: one keep-alive connection, a cookie jar."""

    def __init__(self, server, lang=None):
        self.server = server
        self.cookies = {}
        self.lang = lang
        self.conn = None

    def _conn(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        return self.conn

    def request(self, method, path, body=None, headers=None, ctype=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if self.lang:
            h["Accept-Language"] = self.lang
        if body is not None:
            if isinstance(body, dict) and ctype is None:
                body = urllib.parse.urlencode(body)
                ctype = "application/x-www-form-urlencoded"
            if isinstance(body, str):
                body = body.encode()
            h["Content-Type"] = ctype
        for attempt in range(2):
            c = self._conn()
            try:
                c.request(method, path, body=body, headers=h)
                r = c.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        resp = Response(r, data)
        for k, v in resp.header_list:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        if resp.headers.get("connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def api(self, method, path, obj=None, token=None, headers=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        body = json.dumps(obj) if obj is not None else None
        return self.request(method, path, body=body, headers=h,
                            ctype="application/json" if body is not None else None)

    def form(self, page, action, fields):
        """GET page, take its CSRF token, POST fields to action."""
        r = self.get(page)
        tok = r.csrf()
        assert tok, "no CSRF token on %s (status %d)" % (page, r.status)
        f = dict(fields)
        f["csrf"] = tok
        return self.post(action, f)

    def login(self, login, password):
        r = self.form("/login", "/login", {"login": login, "password": password, "next": "/account"})
        assert r.status == 303, "login %s: %d %s" % (login, r.status, r.text[:300])
        return r


class Suite:
    """Runs test functions, prints one line per failure and a summary."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def run(self, fn, *args):
        t0 = time.time()
        try:
            fn(*args)
            self.passed += 1
            print("  ok   %-45s %.2fs" % (fn.__name__, time.time() - t0))
        except Exception:
            self.failed += 1
            print("  FAIL %s" % fn.__name__)
            lines = traceback.format_exc().strip().splitlines()
            print("\n".join("       " + ln for ln in lines[-6:]))
        sys.stdout.flush()

    def stop_server(self, srv):
        """Stops a server the suite ran against; a non-zero exit status (ASan's
        report of a memory error, say) is a failure."""
        rc = srv.stop()
        if rc != 0:
            print("  FAIL server exit status %s\n%s" % (rc, srv.log()))
            self.failed += 1

    def summary(self):
        print("%s: %d passed, %d failed" % (self.name, self.passed, self.failed))
        return 0 if self.failed == 0 else 1


def eq(a, b, what=""):
    assert a == b, "%s: %r != %r" % (what, a, b)


def contains(text, part, what=""):
    assert part in text, "%s: %r not found in %r" % (what, part, text[:500])


def run_cli(binary, *args, env=None, timeout=300):
    """Runs a kenes command; (exit status, stdout + stderr)."""
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([binary] + list(args), capture_output=True, text=True, env=e, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def demo_server(binary, db, env=None):
    """Loads the demo into db (`kenes demo` makes the schema first) and serves
    it with the appeal rate limits lifted, for suites that file many appeals;
    None, after printing why, when the demo cannot be loaded."""
    rc, out = run_cli(binary, "demo", "--db", db, env=env)
    if rc != 0:
        print("  FAIL demo: " + out)
        return None
    return Server(binary, db, extra=("--appeal-rate-account", "1000000000", "--appeal-rate-address", "1000000000"),
                  env=env)


def event_head(binary, db, env=None):
    """The event log's head (seq, hash), as `kenes verify` reads it."""
    rc, out = run_cli(binary, "verify", "--db", db, env=env)
    eq(rc, 0, out)
    m = re.search(r"\(head (\d+), ([0-9a-f]{64})\)", out)
    assert m, out
    return m.group(1), m.group(2)


def check_public_feeds(client, council="ncpt", agency="mvd"):
    """The council's and the agency's Atom feeds parse as XML and its calendar
    keeps RFC 5545's lines (CRLF, at most 75 octets): whatever was written
    before, the feeds must stay readable by feed readers and calendars."""
    import xml.etree.ElementTree as ET
    for path in ("/councils/%s/feed.atom" % council, "/agencies/%s/feed.atom" % agency):
        r = client.get(path)
        eq(r.status, 200, path)
        try:
            ET.fromstring(r.body)
        except ET.ParseError as e:
            raise AssertionError("%s is not well-formed XML: %s" % (path, e))
    r = client.get("/councils/%s/meetings.ics" % council)
    eq(r.status, 200, "meetings.ics")
    lines = r.body.split(b"\r\n")
    assert r.body.endswith(b"\r\n"), "meetings.ics ends with CRLF"
    long = [ln for ln in lines if len(ln) > 75]
    assert not long, "meetings.ics: %d lines over 75 octets, first %r" % (len(long), long[0][:90])
    assert not any(b"\n" in ln or b"\r" in ln for ln in lines), "meetings.ics: a bare CR or LF"


def by_status(counts):
    """{status: how many} as "200: 4, 422: 7"."""
    return ", ".join("%d: %d" % kv for kv in sorted(counts.items()))


ESCAPED_ATTR = re.compile(r"<[a-z][^<>]*\s[a-z-]+=&quot;[^<>]*>")


def crawl(c, start, skip, shape, per_shape, max_pages, visit):
    """Follows a site's own links from start as client c, breadth first, at
    most per_shape addresses of each shape(path) and max_pages in all; skip: a
    regex of addresses left alone. visit(path, response) is called for every
    HTML page answered 200 and returns the hrefs found on it. Returns the
    number of addresses requested."""
    import urllib.parse
    seen, shapes, queue = set(), {}, list(start)
    while queue and len(seen) < max_pages:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        r = c.get(path)
        assert r.status < 500, "GET %s: %d %s" % (path, r.status, r.text[:300])
        if r.status != 200 or "text/html" not in r.headers.get("content-type", ""):
            continue
        # markup passed through the text escaper: an attribute written as
        # aria-current=&quot;page&quot; (a value that starts with an escaped quote)
        bad = ESCAPED_ATTR.search(r.text)
        assert not bad, "GET %s: an escaped attribute: %s" % (path, bad.group(0))
        for href in visit(path, r):
            u = urllib.parse.urlsplit(href)
            if u.scheme or u.netloc or not u.path.startswith("/"):
                continue
            target = u.path + ("?" + u.query if u.query else "")
            if skip.search(target) or target in seen:
                continue
            s = shape(target)
            if shapes.get(s, 0) >= per_shape:
                continue
            shapes[s] = shapes.get(s, 0) + 1
            queue.append(target)
    return len(seen)
