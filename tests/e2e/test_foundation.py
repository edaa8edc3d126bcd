#!/usr/bin/env python3
"""test_foundation.py: end-to-end tests of the foundation against the real binary.

usage: test_foundation.py BINARY DB_URL LABEL
DB_URL must name an empty database (sqlite:PATH or postgres://...). The test
loads the demo data with a known password, starts `kenes serve` on a loopback
port, and drives pages, forms (with CSRF), the API, logins, roles and bad input.
"""
import html
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Server, Suite, contains, eq  # noqa: E402

BIN, DB, LABEL = sys.argv[1], sys.argv[2], sys.argv[3]
PW = "demo-password-1"
ENV = {"KENES_DEMO_PASSWORD": PW}


def run(*args, stdin=None, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([BIN] + list(args), input=stdin, capture_output=True, text=True, env=e, timeout=60)
    return p.returncode, p.stdout + p.stderr


# ---- CLI -------------------------------------------------------------------

def test_cli_demo_and_migrate():
    rc, out = run("migrate", "--db", DB)
    eq(rc, 0, out)
    rc, out = run("demo", "--db", DB, env=ENV)
    eq(rc, 0, out)
    contains(out, "operator", "demo prints accounts")
    contains(out, PW)
    rc, out = run("demo", "--db", DB, env=ENV)
    eq(rc, 1, "second demo refused")
    contains(out, "already has councils")
    rc, out = run("migrate", "--db", DB)
    eq(rc, 0)
    contains(out, "0 migrations applied")


def test_cli_help():
    for cmd in ("serve", "migrate", "demo", "user", "role", "backup", "version", "calendar", "config"):
        rc, out = run(cmd, "--help")
        eq(rc, 0, cmd + " --help: " + out)
        contains(out, "usage", cmd)
    rc, out = run("nonsense")
    eq(rc, 2)
    rc, out = run("version")
    eq(rc, 0)
    contains(out, "kenes ")


def test_cli_user_and_role():
    rc, out = run("user", "add", "cli-user", "--name", "CLI User", "--db", DB, stdin="short\n")
    eq(rc, 1, "short password refused: " + out)
    contains(out, "at least 10")
    rc, out = run("user", "add", "cli-user", "--name", "CLI User", "--db", DB, stdin="a-long-password-1\n")
    eq(rc, 0, out)
    rc, out = run("user", "add", "cli-user", "--db", DB, stdin="a-long-password-1\n")
    eq(rc, 1, "duplicate login refused")
    rc, out = run("user", "passwd", "cli-user", "--db", DB, stdin="another-password-2\n")
    eq(rc, 0, out)
    rc, out = run("user", "passwd", "nobody-here", "--db", DB, stdin="another-password-2\n")
    eq(rc, 1, out)
    rc, out = run("role", "grant", "officer", "cli-user", "--agency", "kgd", "--db", DB)
    eq(rc, 0, out)
    rc, out = run("role", "grant", "officer", "cli-user", "--agency", "kgd", "--db", DB)
    eq(rc, 1, "granted twice: " + out)
    rc, out = run("role", "grant", "wizard", "cli-user", "--council", "ncpt", "--db", DB)
    eq(rc, 1, out)
    rc, out = run("role", "grant", "secretary", "cli-user", "--council", "no-such-council", "--db", DB)
    eq(rc, 1, out)
    contains(out, "No such council")
    rc, out = run("role", "revoke", "officer", "cli-user", "--agency", "kgd", "--db", DB)
    eq(rc, 0, out)


def test_cli_config_precedence():
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write("# test\nlisten = 127.0.0.1:1111\ndb = sqlite:/tmp/from-file.db\n")
        path = f.name
    try:
        rc, out = run("config", "show", "--config", path)
        contains(out, "127.0.0.1:1111", "file")
        contains(out, "/tmp/from-file.db")
        rc, out = run("config", "show", "--config", path, env={"KENES_LISTEN": "127.0.0.1:2222"})
        contains(out, "127.0.0.1:2222", "env over file")
        rc, out = run("config", "show", "--config", path, "--listen", "127.0.0.1:3333",
                      env={"KENES_LISTEN": "127.0.0.1:2222"})
        contains(out, "127.0.0.1:3333", "flag over env")
        with open(path, "w") as f:
            f.write("listen = 1\nbogus = 2\n")
        rc, out = run("config", "show", "--config", path)
        eq(rc, 2, out)
        contains(out, "line 2")
        rc, out = run("config", "example")
        contains(out, "# database:")
    finally:
        os.unlink(path)


def test_cli_verify():
    rc, out = run("verify", "--db", DB)
    eq(rc, 0, out)
    contains(out, "verified")


def test_cli_backup():
    if not DB.startswith("sqlite:"):
        rc, out = run("backup", "/tmp/never.db", "--db", DB)
        eq(rc, 1)
        contains(out, "pg_dump")
        return
    dest = tempfile.mktemp(suffix=".db")
    try:
        rc, out = run("backup", dest, "--db", DB)
        eq(rc, 0, out)
        ok = subprocess.run(["sqlite3", dest, "PRAGMA integrity_check; SELECT COUNT(*) FROM councils;"],
                            capture_output=True, text=True).stdout.split()
        eq(ok[0], "ok")
        assert int(ok[1]) >= 2
        rc, out = run("backup", dest, "--db", DB)
        eq(rc, 1, "refuses to overwrite")
    finally:
        if os.path.exists(dest):
            os.unlink(dest)


# ---- pages --------------------------------------------------------------------

def test_public_pages(s):
    c = Client(s)
    for path, part in (("/", "National Council of Public Trust"), ("/councils", "Kassym-Jomart Tokayev"),
                       ("/councils/ncpt", "National Kurultai"), ("/agencies", "State Revenue Committee"),
                       ("/agencies/kgd", "Ministry of Finance"), ("/api", "/api/v1/councils"),
                       ("/councils/national-kurultai", "Succeeded")):
        r = c.get(path)
        eq(r.status, 200, path)
        contains(r.text, part, path)
        contains(r.headers.get("content-type", ""), "text/html")
        assert len(r.body) < 60 * 1024, path + " over 60 KB"
        assert "kn_csrf" not in c.cookies, "anonymous public page set a cookie"
        eq(r.headers.get("cache-control"), "public, max-age=30", path)
    r = c.get("/councils/ncpt")
    contains(r.text, "illustrative")
    r = c.get("/static/kenes.css")
    eq(r.status, 200)
    contains(r.headers["content-type"], "text/css")


def test_etag(s):
    c = Client(s)
    r = c.get("/councils")
    etag = r.headers.get("etag")
    assert etag, "no ETag"
    r2 = c.get("/councils", headers={"If-None-Match": etag})
    eq(r2.status, 304)
    eq(r2.body, b"")


def test_keepalive(s):
    c = Client(s)
    for _ in range(5):
        r = c.get("/councils")
        eq(r.status, 200)
        assert r.headers.get("connection", "").lower() != "close", "server closed a keep-alive connection"
    conn = c.conn
    c.get("/api/v1/councils")
    assert c.conn is conn, "connection was not reused"


def test_languages(s):
    en = Client(s).get("/nope")
    eq(en.status, 404)
    contains(en.text, "This page does not exist.")
    for lang in ("ru", "kk"):
        r = Client(s, lang=lang + ",en;q=0.5").get("/nope")
        eq(r.status, 404)
        contains(r.text, '<html lang="%s">' % lang)
        assert "This page does not exist." not in r.text, lang + " 404 not translated"
    c = Client(s)
    r = c.get("/councils?lang=ru")
    contains(r.text, '<html lang="ru">')
    eq(c.cookies.get("kn_lang"), "ru")
    r = c.get("/councils")
    contains(r.text, '<html lang="ru">', "cookie keeps the language")
    r = Client(s).get("/councils?lang=xx")
    contains(r.text, '<html lang="en">')


def test_register_login_logout(s):
    c = Client(s)
    r = c.get("/register")
    tok = r.csrf()
    assert tok and "kn_csrf" in c.cookies
    fields = {"login": "ada", "display_name": "Ada L", "password": "correct-horse-1", "csrf": "x" * 32}
    r = c.post("/register", fields)
    eq(r.status, 403, "wrong CSRF token")
    del fields["csrf"]
    r = c.post("/register", fields)
    eq(r.status, 403, "missing CSRF token")
    bad = {"login": "A!", "display_name": "", "password": "short", "csrf": tok}
    r = c.post("/register", bad)
    eq(r.status, 422)
    contains(r.text, "Please correct the following")
    contains(r.text, 'id="e-login"')
    contains(r.text, 'id="e-password"')
    contains(r.text, 'id="e-display_name"')
    fields["csrf"] = tok
    r = c.post("/register", fields)
    eq(r.status, 303, r.text[:300])
    eq(r.headers["location"], "/account")
    assert "kn_session" in c.cookies
    r = c.get("/account")
    eq(r.status, 200)
    contains(r.text, "Ada L")
    eq(r.headers.get("cache-control"), "private, no-cache")
    r = c.form("/account", "/logout", {})
    eq(r.status, 303)
    r = c.get("/account")
    eq(r.status, 303)
    contains(r.headers["location"], "/login?next=")
    # taken login: the form says so, nothing else changes
    c2 = Client(s)
    r = c2.form("/register", "/register", {"login": "ada", "display_name": "Other", "password": "correct-horse-2"})
    eq(r.status, 422)
    contains(r.text, "taken")
    c2.login("ada", "correct-horse-1")


def test_login_errors_do_not_reveal_accounts(s):
    a = Client(s).form("/login", "/login", {"login": "operator", "password": "wrong-password-x"})
    b = Client(s).form("/login", "/login", {"login": "no-such-person", "password": "wrong-password-x"})
    eq(a.status, 422)
    eq(b.status, 422)
    strip = lambda t: re.sub(r'value="[^"]*"', "", t)
    eq(strip(a.text), strip(b.text), "login error pages differ")
    contains(a.text, "Wrong login or password.")


def test_login_next_is_local(s):
    c = Client(s)
    r = c.form("/login", "/login", {"login": "citizen", "password": PW, "next": "//evil.example/x"})
    eq(r.status, 303)
    eq(r.headers["location"], "/account")


def test_change_password(s):
    c = Client(s)
    c.form("/register", "/register", {"login": "pwuser", "display_name": "P", "password": "first-password-1"})
    other = Client(s)
    other.login("pwuser", "first-password-1")
    r = c.form("/account", "/account/password", {"old_password": "wrong-one-123", "new_password": "second-password-2"})
    eq(r.status, 422)
    contains(r.text, "current password is wrong")
    r = c.form("/account", "/account/password", {"old_password": "first-password-1", "new_password": "second-password-2"})
    eq(r.status, 200, r.text[:200])
    contains(r.text, "password was changed")
    eq(other.get("/account").status, 303, "other session ended")
    eq(c.get("/account").status, 200, "this session kept")
    Client(s).login("pwuser", "second-password-2")


def test_roles_on_pages(s):
    anon = Client(s)
    r = anon.get("/councils/new")
    eq(r.status, 303)
    cit = Client(s)
    cit.login("citizen", PW)
    eq(cit.get("/councils/new").status, 403)
    eq(cit.get("/admin/roles").status, 403)
    sec = Client(s)
    sec.login("secretary", PW)
    eq(sec.get("/councils/ncpt/edit").status, 403, "a secretary is not an operator")
    op = Client(s)
    op.login("operator", PW)
    eq(op.get("/councils/new").status, 200)
    eq(op.get("/admin/roles").status, 200)


def test_operator_forms(s):
    op = Client(s)
    op.login("operator", PW)
    before = Client(s).get("/api/v1/councils").json()
    r = op.form("/councils/new", "/councils/new",
                {"slug": "Bad Slug", "name_en": "", "founded_on": "2021-02-30", "seats": "x", "timezone": "Mars/Base"})
    eq(r.status, 422)
    for f in ("slug", "name_en", "founded_on", "timezone"):
        contains(r.text, 'id="e-%s"' % f, f)
    eq(Client(s).get("/api/v1/councils").json(), before, "nothing created")
    r = op.form("/councils/new", "/councils/new",
                {"slug": "youth-council", "name_en": "Youth Council <b>", "name_ru": "Молодёжный совет",
                 "founded_on": "2023-01-15", "seats": "25", "timezone": "Asia/Almaty",
                 "description": "Hello **world** <script>alert(1)</script> [x](javascript:alert(1))"})
    eq(r.status, 303, r.text[:500])
    page = Client(s).get(r.headers["location"])
    eq(page.status, 200)
    contains(page.text, "Youth Council &lt;b&gt;")
    contains(page.text, "<strong>world</strong>")
    assert "<script>alert" not in page.text and 'href="javascript:' not in page.text, "unsafe markup rendered"
    contains(page.text, "&lt;script&gt;alert(1)&lt;/script&gt;", "the raw description in the history is escaped")
    r = op.form("/councils/youth-council/edit", "/councils/youth-council/edit",
                {"slug": "youth-council", "name_en": "Youth Council", "seats": "30", "timezone": "Asia/Almaty",
                 "founded_on": "2023-01-15"})
    eq(r.status, 303)
    page = Client(s).get("/councils/youth-council")
    contains(page.text, "History")
    contains(page.text, "seats: <del>25</del> → 30")
    # the chair is named by words of the name; the registry of people is offered while it is short
    form = op.get("/councils/youth-council/edit").text
    contains(form, '<datalist id="people">')
    contains(form, 'list="people"')
    fields = {"slug": "youth-council", "name_en": "Youth Council", "seats": "30", "timezone": "Asia/Almaty",
              "founded_on": "2023-01-15"}
    before = Client(s).get("/api/v1/councils/youth-council").json()
    for key, says in (("no such person here", "No such person in the registry of people."),
                      ("member illustrative", "Several people match; give the number of one:")):
        r = op.form("/councils/youth-council/edit", "/councils/youth-council/edit", dict(fields, chair_person_id=key))
        eq(r.status, 422, key)
        contains(html.unescape(r.text), says)
        contains(r.text, 'value="%s"' % key, "the form keeps what was typed")
        eq(Client(s).get("/api/v1/councils/youth-council").json(), before, key)
    r = op.form("/councils/youth-council/edit", "/councils/youth-council/edit",
                dict(fields, chair_person_id="ileuova"))
    eq(r.status, 303, r.text[:300])
    eq(Client(s).get("/api/v1/councils/youth-council").json()["chair_name"], "Gulmira Ileuova")
    # the form shows the chair by name; sent back as it is, the chair stays
    contains(op.get("/councils/youth-council/edit").text, 'value="Gulmira Ileuova"')
    r = op.form("/councils/youth-council/edit", "/councils/youth-council/edit",
                dict(fields, chair_person_id="Gulmira Ileuova", seats="31"))
    eq(r.status, 303, r.text[:300])
    after = Client(s).get("/api/v1/councils/youth-council").json()
    eq((after["chair_name"], after["seats"]), ("Gulmira Ileuova", 31))
    # an agency cannot be put under its own unit
    r = op.form("/agencies/minfin/edit", "/agencies/minfin/edit",
                {"slug": "minfin", "name_en": "Ministry of Finance", "kind": "ministry", "parent": "kgd"})
    eq(r.status, 422)
    contains(r.text, "under itself")
    r = op.form("/agencies/new", "/agencies/new",
                {"slug": "ministry-of-energy", "name_en": "Ministry of Energy", "kind": "ministry"})
    eq(r.status, 303)


def test_admin_roles_page(s):
    op = Client(s)
    op.login("operator", PW)
    r = op.form("/admin/roles", "/admin/roles", {"login": "citizen", "role": "member", "scope": "ncpt"})
    eq(r.status, 200, r.text[:300])
    contains(r.text, "The role was granted.")
    r = op.form("/admin/roles", "/admin/roles", {"login": "citizen", "role": "member", "scope": "ncpt"})
    eq(r.status, 422)
    r = op.form("/admin/roles", "/admin/roles", {"login": "citizen", "role": "member", "scope": "ncpt", "revoke": "1"})
    eq(r.status, 200)
    contains(r.text, "The role was revoked.")


# ---- API -----------------------------------------------------------------------

def token_for(s, login, password=PW):
    r = Client(s).api("POST", "/api/v1/tokens", {"login": login, "password": password, "name": "test"})
    eq(r.status, 201, r.text)
    return r.json()["token"]


def test_api_read(s):
    c = Client(s)
    r = c.get("/api/v1/councils")
    eq(r.status, 200)
    eq(r.headers["content-type"], "application/json")
    slugs = [x["slug"] for x in r.json()["councils"]]
    assert "ncpt" in slugs and "national-kurultai" in slugs
    r = c.get("/api/v1/councils/ncpt").json()
    eq(r["seats"], 44)
    eq(r["succeeded_by"], "national-kurultai")
    eq(r["name"]["kk"], "Ұлттық қоғамдық сенім кеңесі")
    r = c.get("/api/v1/agencies/kgd").json()
    eq(r["parent"], "minfin")
    r = c.get("/api/v1/agencies/minfin").json()
    assert "kgd" in r["units"]
    r = c.get("/api/v1/councils/9999")
    eq(r.status, 404)
    eq(r.json()["error"]["code"], "not_found")
    r = c.get("/api/v1/nothing-here")
    eq(r.status, 404)
    assert "error" in r.json()


def test_api_auth_and_tokens(s):
    c = Client(s)
    r = c.api("GET", "/api/v1/me")
    eq(r.status, 401)
    r = c.api("POST", "/api/v1/tokens", {"login": "operator", "password": "nope-nope-nope", "name": "x"})
    eq(r.status, 401)
    tok = token_for(s, "operator")
    assert tok.startswith("kn_")
    r = c.api("GET", "/api/v1/me", token=tok)
    eq(r.status, 200)
    eq(r.json()["operator"], True)
    r = c.api("GET", "/api/v1/tokens", token=tok)
    tid = [t for t in r.json()["tokens"] if t["revoked_at"] is None][-1]["id"]
    assert "token" not in r.json()["tokens"][0], "token listed again"
    r = c.api("DELETE", "/api/v1/tokens/%d" % tid, token=tok)
    eq(r.status, 204)
    r = c.api("GET", "/api/v1/me", token=tok)
    eq(r.status, 401, "revoked token refused")
    r = c.api("GET", "/api/v1/me", token="kn_forged")
    eq(r.status, 401)


def test_api_writes_and_roles(s):
    c = Client(s)
    op = token_for(s, "operator")
    cit = token_for(s, "citizen")
    body = {"slug": "ministry-of-health", "name": {"en": "Ministry of Health", "ru": "Министерство здравоохранения"},
            "kind": "ministry"}
    eq(c.api("POST", "/api/v1/agencies", body).status, 401)
    eq(c.api("POST", "/api/v1/agencies", body, token=cit).status, 403)
    r = c.api("POST", "/api/v1/agencies", body, token=op)
    eq(r.status, 201, r.text)
    eq(r.json()["slug"], "ministry-of-health")
    r = c.api("POST", "/api/v1/agencies", body, token=op)
    eq(r.status, 422, "duplicate slug")
    eq(r.json()["error"]["field"], "slug")
    r = c.api("PUT", "/api/v1/agencies/ministry-of-health", {"parent": "no-such"}, token=op)
    eq(r.status, 422)
    eq(r.json()["error"]["field"], "parent")
    r = c.api("PUT", "/api/v1/agencies/ministry-of-health", {"website": "https://www.gov.kz"}, token=op)
    eq(r.status, 200, r.text)
    eq(r.json()["name"]["ru"], "Министерство здравоохранения")
    r = c.api("POST", "/api/v1/councils", {"slug": "c2", "name": {"en": "C2"}, "seats": "many"}, token=op)
    eq(r.status, 422)
    eq(r.json()["error"]["field"], "seats")
    r = c.api("POST", "/api/v1/councils", {"slug": "c2", "name": {"en": "C2"}, "dissolved_on": "2020-01-01",
                                           "founded_on": "2021-01-01"}, token=op)
    eq(r.status, 422)
    eq(c.get("/api/v1/councils/c2").status, 404, "nothing half-written")


def test_api_bad_input(s):
    c = Client(s)
    op = token_for(s, "operator")
    r = c.request("POST", "/api/v1/agencies", body="{\"slug\": ", headers={"Authorization": "Bearer " + op},
                  ctype="application/json")
    eq(r.status, 400)
    e = r.json()["error"]
    eq(e["code"], "invalid_json")
    contains(e["message"], "line 1")
    r = c.request("POST", "/api/v1/agencies", body="[1,2]", headers={"Authorization": "Bearer " + op},
                  ctype="application/json")
    eq(r.status, 400)
    r = c.request("POST", "/api/v1/agencies", body="slug=x", headers={"Authorization": "Bearer " + op},
                  ctype="application/x-www-form-urlencoded")
    eq(r.status, 415)
    r = c.request("POST", "/api/v1/agencies", body='{"slug":"a","slug":"b"}', headers={"Authorization": "Bearer " + op},
                  ctype="application/json")
    eq(r.status, 400, "duplicate keys")
    big = json.dumps({"slug": "x" * (2 * 1024 * 1024)})
    r = c.request("POST", "/api/v1/agencies", body=big, headers={"Authorization": "Bearer " + op},
                  ctype="application/json")
    eq(r.status, 413)
    r = c.request("PATCH", "/api/v1/councils")
    eq(r.status, 405)
    r = c.get("/councils?x=%zz")
    eq(r.status, 400)


def test_api_cookie_session_needs_csrf_header(s):
    c = Client(s)
    c.login("operator", PW)
    body = {"slug": "csrf-test", "name": {"en": "CSRF test"}}
    r = c.api("POST", "/api/v1/agencies", body)
    eq(r.status, 403)
    eq(r.json()["error"]["code"], "csrf")
    eq(Client(s).get("/api/v1/agencies/csrf-test").status, 404, "nothing changed")
    if "kn_csrf" not in c.cookies:
        c.get("/account")
    r = c.api("POST", "/api/v1/agencies", body, headers={"X-CSRF-Token": c.cookies["kn_csrf"]})
    eq(r.status, 201, r.text)


def test_api_register(s):
    c = Client(s)
    r = c.api("POST", "/api/v1/users", {"login": "api-user", "display_name": "API", "password": "p" * 12})
    eq(r.status, 201, r.text)
    r = c.api("POST", "/api/v1/users", {"login": "api-user", "display_name": "API", "password": "p" * 12})
    eq(r.status, 422)
    r = c.api("POST", "/api/v1/users", {"login": 5, "display_name": "API", "password": "p" * 12})
    eq(r.status, 422)
    eq(r.json()["error"]["field"], "login")


def test_openapi(s):
    r = Client(s).get("/api/v1/openapi.json")
    eq(r.status, 200)
    doc = r.json()
    eq(doc["openapi"], "3.1.0")
    for path, method in (("/api/v1/councils", "get"), ("/api/v1/councils", "post"),
                         ("/api/v1/councils/{council}", "put"), ("/api/v1/agencies/{agency}", "get"),
                         ("/api/v1/tokens", "post"), ("/api/v1/tokens/{id}", "delete"), ("/api/v1/me", "get")):
        assert method in doc["paths"][path], (path, method)
        assert doc["paths"][path][method]["responses"], (path, method)
    assert "bearerAuth" in doc["components"]["securitySchemes"]


def test_page_cache_invalidation(s):
    anon = Client(s)
    for _ in range(3):
        r = anon.get("/agencies/mio")
        eq(r.status, 200)
    before = r.text
    assert "Ministry of Information" in before
    m = Client(s).get("/metrics").text
    hits = int(re.search(r"kenes_page_cache_hits_total (\d+)", m).group(1))
    assert hits >= 2, "public page not served from memory"
    # a write to tables the page does not show (a new API token) leaves it cached
    op = token_for(s, "operator")
    r = anon.get("/agencies/mio")
    m = Client(s).get("/metrics").text
    eq(int(re.search(r"kenes_page_cache_hits_total (\d+)", m).group(1)), hits + 1,
       "a write to another table retired the cached page")
    eq(r.text, before)
    r = Client(s).api("PUT", "/api/v1/agencies/mio", {"name": {"en": "Ministry of Culture and Information"}}, token=op)
    eq(r.status, 200, r.text)
    r = anon.get("/agencies/mio")
    contains(r.text, "Ministry of Culture and Information", "cached page invalidated by the write")
    r2 = anon.get("/agencies")
    contains(r2.text, "Ministry of Culture and Information", "every cached page invalidated")
    # a signed-in visitor is never served the anonymous copy
    cit = Client(s)
    cit.login("citizen", PW)
    contains(cit.get("/agencies/mio").text, "Log out")
    # a write by another process on the same database (a second server)
    # retires the pages this one keeps, within the head check's 250 ms
    for _ in range(2):
        anon.get("/agencies/mio")
    other = Server(BIN, DB)
    try:
        r = Client(other).api("PUT", "/api/v1/agencies/mio", {"name": {"en": "Ministry of Information and Society"}},
                              token=op)
        eq(r.status, 200, r.text)
    finally:
        other.stop()
    deadline = time.time() + 5
    while "Ministry of Information and Society" not in anon.get("/agencies/mio").text:
        assert time.time() < deadline, "another process's write never reached the cached page"
        time.sleep(0.05)


def test_health_and_metrics(s):
    c = Client(s)
    r = c.get("/healthz")
    eq(r.status, 200)
    eq(r.json()["status"], "ok")
    c.get("/councils")
    r = c.get("/metrics")
    eq(r.status, 200)
    contains(r.text, 'kenes_http_requests_total{route="/councils",status="200"}')
    contains(r.text, "kenes_http_request_duration_seconds_bucket")
    contains(r.text, "kenes_db_seconds_total")


def test_access_log(s):
    Client(s).get("/agencies?x=1")
    time.sleep(0.1)
    contains(s.log(), '"GET /agencies" 200')


def test_rate_limit():
    srv = Server(BIN, DB, ["--login-attempts", "3", "--login-window", "600"])
    try:
        c = Client(srv)
        for i in range(3):
            r = c.form("/login", "/login", {"login": "chair", "password": "wrong-%d-password" % i})
            eq(r.status, 422)
        r = c.form("/login", "/login", {"login": "chair", "password": PW})
        eq(r.status, 429, "blocked even with the right password")
        r = Client(srv).api("POST", "/api/v1/tokens", {"login": "chair", "password": PW, "name": "x"})
        eq(r.status, 429)
    finally:
        srv.stop()


def test_sigterm():
    import socket
    srv = Server(BIN, DB)
    Client(srv).get("/councils")
    # a request in flight when SIGTERM arrives is finished, then the server exits
    body = json.dumps({"login": "inflight", "display_name": "In flight", "password": "in-flight-pass-1"}).encode()
    sock = socket.create_connection(("127.0.0.1", srv.port))
    sock.sendall(b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: %d\r\n\r\n" % len(body) + body[:10])
    time.sleep(0.3)
    srv.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    assert srv.proc.poll() is None, "server exited with a request in flight"
    sock.sendall(body[10:])
    reply = sock.recv(4096).decode()
    sock.close()
    contains(reply, "201", "in-flight request answered")
    rc = srv.stop(signal.SIGTERM)
    eq(rc, 0, "exit status after SIGTERM")
    contains(srv.log(), "stopped")
    # and it was really saved
    srv = Server(BIN, DB)
    try:
        r = Client(srv).api("POST", "/api/v1/tokens", {"login": "inflight", "password": "in-flight-pass-1", "name": "t"})
        eq(r.status, 201)
    finally:
        srv.stop()


def test_port_in_use():
    """A second server on a port in use refuses to start, saying so, and the first goes on alone; once the first
    has stopped, the port is free again at once (a restart does not wait for the old connections)."""
    srv = Server(BIN, DB)
    try:
        c = Client(srv)
        for _ in range(20):
            eq(c.get("/councils").status, 200)
        p = subprocess.run([BIN, "serve", "--db", DB, "--listen", "127.0.0.1:%d" % srv.port, "--threads", "1"],
                           capture_output=True, text=True, timeout=30)
        assert p.returncode != 0, "a second server started on port %d" % srv.port
        contains(p.stderr, "cannot listen on 127.0.0.1:%d" % srv.port)
        eq(Client(srv).get("/councils").status, 200, "the first server still answers")
    finally:
        eq(srv.stop(), 0)
    again = Server(BIN, DB, port=srv.port)
    try:
        eq(Client(again).get("/councils").status, 200, "restarted on the same port at once")
    finally:
        eq(again.stop(), 0)


def main():
    suite = Suite("e2e[%s]" % LABEL)
    for t in (test_cli_demo_and_migrate, test_cli_help, test_cli_user_and_role, test_cli_config_precedence,
              test_cli_backup):
        suite.run(t)
    srv = Server(BIN, DB)
    try:
        for t in (test_public_pages, test_etag, test_keepalive, test_languages, test_register_login_logout,
                  test_login_errors_do_not_reveal_accounts, test_login_next_is_local, test_change_password,
                  test_roles_on_pages, test_operator_forms, test_admin_roles_page, test_api_read,
                  test_api_auth_and_tokens, test_api_writes_and_roles, test_api_bad_input,
                  test_api_cookie_session_needs_csrf_header, test_api_register, test_openapi,
                  test_page_cache_invalidation,
                  test_health_and_metrics, test_access_log):
            suite.run(t, srv)
    finally:
        rc = srv.stop()
    if rc != 0:
        print("  FAIL server exit status %s\n%s" % (rc, srv.log()))
        suite.failed += 1
    for t in (test_rate_limit, test_sigterm, test_port_in_use, test_cli_verify):
        suite.run(t)
    return suite.summary()


if __name__ == "__main__":
    sys.exit(main())
