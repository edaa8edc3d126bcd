#!/usr/bin/env python3
"""crash.py: crash-safety rounds against one database (run by tests/crash/run.sh).

Each round: start `kenes serve` on 127.0.0.1 (port 0: the server logs the port),
wait for /healthz, check that every write acknowledged (2xx) before the last
SIGKILL is there, that the database is intact and that the totals kept
beside the appeals and the inboxes are what counting gives, then run writers doing
authenticated writes and SIGKILL the server at a random moment. The writers
take turns between three kinds of write: an operator creating agencies
(POST /api/v1/agencies, a new slug each), a citizen filing appeals (POST
/api/v1/councils/ncpt/appeals, the most frequent public write; the server
runs with the appeal rate limits lifted) and visitors voting in a
consultation the test opens (POST .../consultations/ID/votes, a new
participant -- a per-browser id cookie -- every 50 votes; votes are
committed in groups and each answered 201 only once its group is durable),
each recorded by its slug, its reference, or the participant's stored id
(BLAKE2b-128 of the cookie, as the server keeps it) and the statement. The
agencies and appeals are looked up over HTTP after each restart, the votes
in the database. A last start checks the last round, then SIGTERM.
Python stdlib only. Loopback only; every loop is bounded in count and time.
Prints one line per round and, last, "RESULT passed=N failed=N".
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

PASSWORD = "demo-password-1"
WRITE_PATH = "/api/v1/agencies"
APPEAL_PATH = "/api/v1/councils/ncpt/appeals"
NO_RATE_LIMIT = ["--appeal-rate-account", "1000000000", "--appeal-rate-address", "1000000000"]
KINDS = ("agency", "appeal", "vote")
STATEMENTS = 50  # seed statements of the test's consultation; a new participant after as many votes
VALUES = ("agree", "disagree", "pass")


def log(msg):
    print(msg, flush=True)


class Server:
    """One `kenes serve` process that this script started (killed by its PID only)."""

    def __init__(self, kenes, db, workdir, tag):
        self.logpath = os.path.join(workdir, "serve-%s.log" % tag)
        self.logf = open(self.logpath, "wb")
        self.proc = subprocess.Popen(
            [kenes, "serve", "--db", db, "--listen", "127.0.0.1:0", "--access-log", "off"] + NO_RATE_LIMIT,
            stdin=subprocess.DEVNULL, stdout=self.logf, stderr=self.logf)
        self.port = None

    def wait_ready(self, timeout=20.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited at start (status %s): %s" % (self.proc.returncode, self.tail()))
            if self.port is None:
                with open(self.logpath, "rb") as f:
                    m = re.search(rb"serving .*\(port (\d+)\)", f.read())
                if m:
                    self.port = int(m.group(1))
            if self.port is not None:
                try:
                    c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                    c.request("GET", "/healthz")
                    r = c.getresponse()
                    r.read()
                    c.close()
                    if r.status == 200:
                        return
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError("server not ready within %.0f s: %s" % (timeout, self.tail()))

    def tail(self):
        try:
            with open(self.logpath, "rb") as f:
                return f.read()[-800:].decode("utf-8", "replace")
        except OSError:
            return ""

    def kill(self, sig):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.logf.close()
        return self.proc.returncode


def request(conn, method, path, body=None, token=None, cookie=None):
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read()


def voter_id(prefix, participant):
    """A well-formed per-browser id (32-64 of [A-Za-z0-9_-]) and its stored form."""
    cookie = ("%s-p%06d" % (prefix, participant)).ljust(40, "x")
    return cookie, hashlib.blake2b(cookie.encode(), digest_size=16).hexdigest()


def writer(port, token, kind, prefix, acked, stop, max_writes, errors, votes_path=None):
    """Writes until the connection breaks, `stop` is set or max_writes; records what got a 2xx:
    ("agency", slug), ("appeal", reference) or ("vote", "<stored participant id>:<statement>")."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for i in range(max_writes):
            if stop.is_set():
                return
            slug = "%s-%d" % (prefix, i)
            try:
                if kind == "agency":
                    status, body = request(conn, "POST", WRITE_PATH,
                                           {"slug": slug, "name": {"en": "Crash " + slug}, "kind": "other"}, token)
                elif kind == "vote":
                    cookie, stored = voter_id(prefix, i // STATEMENTS)
                    status, body = request(conn, "POST", votes_path,
                                           {"statement": i % STATEMENTS, "vote": VALUES[i % 3]},
                                           cookie="kn_voter=" + cookie)
                else:
                    status, body = request(conn, "POST", APPEAL_PATH, {
                        "subject": slug, "category": "other", "urgency": "normal", "visibility": "public",
                        "scale": "group", "body": "Filed by the crash test; the server may be killed at any moment."},
                        token)
            except (OSError, http.client.HTTPException):
                return  # the server is gone: the answer never came, the write counts as unknown
            if 200 <= status < 300:
                if kind == "vote":
                    acked.append((kind, "%s:%d" % (stored, i % STATEMENTS)))
                else:
                    acked.append((kind, slug if kind == "agency" else json.loads(body)["reference"]))
            else:
                errors.append("POST %s answered %d: %s" % (slug, status, body[:200]))
                return
    finally:
        conn.close()


def verify(port, writes, args):
    """The acknowledged writes that the server does not show (GET answers other than 200), and the
    acknowledged votes that are not in the database."""
    missing = []
    votes = [key for kind, key in writes if kind == "vote"]
    if votes:
        have = db_lines(args, VOTES_SQL % args.consultation)
        missing += ["vote %s" % k for k in votes if have is not None and "vote " + k not in have]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for kind, key in writes:
            if kind == "vote":
                continue
            status, _ = request(conn, "GET", (WRITE_PATH if kind == "agency" else APPEAL_PATH) + "/" + key)
            if status != 200:
                missing.append("%s %s (%d)" % (kind, key, status))
    finally:
        conn.close()
    return missing


def has_verify(kenes):
    """Whether this build has `kenes verify` (the event chain's check)."""
    try:
        out = subprocess.run([kenes, "verify", "--help"], capture_output=True, text=True, timeout=30)
    except OSError:
        return False
    return "kenes verify" in out.stdout + out.stderr


def chain_check(args):
    """`kenes verify`: the hash chain of the event log still verifies: (ok, detail)."""
    if not args.verify:
        return True, ""
    out = subprocess.run([args.kenes, "verify", "--db", args.db], capture_output=True, text=True, timeout=120)
    # its verdict is the last line on stdout (stderr may carry warnings)
    text = (out.stdout.strip() or out.stderr.strip()).splitlines()
    last = text[-1] if text else ""
    return out.returncode == 0, "; verify: " + last[:300]


def db_check(args):
    """Integrity of the database as the restarted server found it, the event chain, and the totals
    kept beside the appeals and the inboxes: (ok, detail)."""
    ok, detail = store_check(args)
    ok2, detail2 = chain_check(args)
    ok3, detail3 = kept_check(args)
    return ok and ok2 and ok3, detail + detail2 + detail3


# councils whose kept number of public appeals, and accounts whose kept inbox totals, differ
# from counting them (migration 0012: kept in the transactions that write them)
KEPT_SQL = ("SELECT (SELECT COUNT(*) FROM councils c WHERE (SELECT COUNT(*) FROM appeals a WHERE a.council_id = c.id "
            "AND a.visibility <> 'confidential') <> COALESCE((SELECT public_appeals FROM appeal_counts k WHERE "
            "k.council_id = c.id), 0)) + (SELECT COUNT(*) FROM users u WHERE (SELECT COUNT(*) FROM notifications n "
            "WHERE n.user_id = u.id) <> COALESCE((SELECT total FROM inbox_counts k WHERE k.user_id = u.id), 0) OR "
            "(SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) <> "
            "COALESCE((SELECT unread FROM inbox_counts k WHERE k.user_id = u.id), 0))")


def kept_check(args):
    lines = db_lines(args, KEPT_SQL)
    if lines is None:
        return True, ""
    return lines == {"0"}, "; kept totals: %s off" % ",".join(sorted(lines))


def store_check(args):
    if args.backend == "sqlite":
        out = subprocess.run(["sqlite3", args.sqlite_path, "PRAGMA integrity_check"],
                             capture_output=True, text=True, timeout=60)
        text = (out.stdout + out.stderr).strip()
        return out.returncode == 0 and text == "ok", "integrity_check " + text[:300]
    if not args.psql:
        return True, "no psql: rows checked over HTTP only"
    cmd = [args.psql, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", args.db, "-c"]
    out = subprocess.run(cmd + ["SELECT (SELECT count(*) FROM agencies) || ' agencies, ' || "
                                "(SELECT count(*) FROM appeals) || ' appeals, ' || "
                                "(SELECT count(*) FROM consultation_votes) || ' votes'"],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        return False, "psql: " + out.stderr.strip()[:300]
    detail = out.stdout.strip()
    if args.amcheck:
        # B-tree indexes of the tables written, checked with their heap (amcheck)
        sql = ("SELECT count(*) FROM (SELECT bt_index_check(c.oid, true) FROM pg_index i "
               "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
               "WHERE i.indrelid IN ('agencies'::regclass, 'appeals'::regclass, 'consultation_votes'::regclass, "
               "'consultation_participants'::regclass) AND a.amname = 'btree') t")
        out = subprocess.run(cmd + [sql], capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            return False, "amcheck: " + out.stderr.strip()[:300]
        detail += ", amcheck ok on %s indexes" % out.stdout.strip()
    return True, detail


# every vote in the test's consultation, as "vote <stored participant id>:<statement>"
VOTES_SQL = ("SELECT 'vote ' || p.browser || ':' || s.number FROM consultation_votes v "
             "JOIN consultation_participants p ON p.id = v.participant_id "
             "JOIN consultation_statements s ON s.id = v.statement_id WHERE v.consultation_id = %d")


def db_lines(args, sql):
    """The lines a query prints, read from the database itself; None without a client for it."""
    if args.backend == "sqlite":
        cmd = ["sqlite3", args.sqlite_path, sql]
    elif args.psql:
        cmd = [args.psql, "-X", "-q", "-t", "-A", "-d", args.db, "-c", sql]
    else:
        return None
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError("reading the database: " + out.stderr.strip()[:300])
    return set(line.strip() for line in out.stdout.splitlines())


def final_db_rows(args, writes):
    """Every acknowledged write of the whole run, looked up in the database itself."""
    have = db_lines(args, "SELECT 'agency ' || slug FROM agencies WHERE slug LIKE 'crash-%' UNION ALL "
                          "SELECT 'appeal ' || reference FROM appeals WHERE subject LIKE 'crash-%' UNION ALL " +
                    VOTES_SQL % args.consultation)
    if have is None:
        return []
    return ["%s %s" % w for w in writes if "%s %s" % w not in have]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kenes", required=True)
    ap.add_argument("--db", required=True, help="sqlite:PATH or postgres://...")
    ap.add_argument("--backend", choices=["sqlite", "pg"], required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--min-delay", type=float, default=0.2, help="shortest time before SIGKILL (s)")
    ap.add_argument("--max-delay", type=float, default=1.0, help="longest time before SIGKILL (s)")
    ap.add_argument("--writers", type=int, default=3, help="taking turns between %s" % ", ".join(KINDS))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--psql", default=None)
    ap.add_argument("--amcheck", action="store_true")
    ap.add_argument("--result", default=None, help="also write the RESULT line to this file")
    args = ap.parse_args()
    # SIGTERM (from run.sh's trap) unwinds like Ctrl-C, so `finally` kills the server
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.sqlite_path = args.db[len("sqlite:"):] if args.backend == "sqlite" else None
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rnd = random.Random(seed)
    tag = args.backend
    args.verify = has_verify(args.kenes)
    log("crash[%s]: %d rounds, SIGKILL after %.2f-%.2f s of writes, %d writers, seed %d (CRASH_SEED=%d to replay); "
        "event chain: %s" % (tag, args.rounds, args.min_delay, args.max_delay, args.writers, seed, seed,
                             "kenes verify after each restart" if args.verify else "no `kenes verify` in this build"))

    env = dict(os.environ, KENES_DEMO_PASSWORD=PASSWORD)
    for cmd in (["migrate"], ["demo"]):
        out = subprocess.run([args.kenes] + cmd + ["--db", args.db], capture_output=True, text=True,
                             env=env, timeout=120)
        if out.returncode != 0:
            log("crash[%s]: kenes %s failed: %s" % (tag, cmd[0], out.stderr.strip()[-500:]))
            log("RESULT passed=0 failed=1")
            return 1

    passed = failed = 0
    all_acked = []
    pending = []  # acknowledged in the round just killed, checked after the restart
    tokens = None
    server = None
    total_answered = 0
    try:
        for rnd_no in range(args.rounds + 1):
            server = Server(args.kenes, args.db, args.workdir, "%s-%d" % (tag, rnd_no))
            server.wait_ready()
            port = server.port
            if rnd_no > 0:
                missing = verify(port, pending, args)
                ok_db, detail = db_check(args)
                ok = not missing and ok_db
                if ok:
                    passed += 1
                else:
                    failed += 1
                log("crash[%s] round %d: %s: %d writes acknowledged before SIGKILL, %d missing after restart; %s%s"
                    % (tag, rnd_no, "ok" if ok else "FAILED", len(pending), len(missing), detail,
                       ("; missing: " + ", ".join(missing[:10])) if missing else ""))
            if rnd_no == args.rounds:
                break
            if tokens is None:
                tokens = {}
                for kind, login in (("agency", "operator"), ("appeal", "citizen"), ("secretary", "secretary")):
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    status, body = request(conn, "POST", "/api/v1/tokens",
                                           {"login": login, "password": PASSWORD, "name": "crash"})
                    conn.close()
                    if status != 201:
                        raise RuntimeError("token request answered %d: %s" % (status, body[:200]))
                    tokens[kind] = json.loads(body)["token"]
                # the consultation the visitors vote in, open for the whole run
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, body = request(conn, "POST", "/api/v1/councils/ncpt/consultations", {
                    "question": "Crash test", "opens_on": "2020-01-01", "closes_on": "2099-12-31", "who": "anyone",
                    "seeds": ["Crash test statement %d" % i for i in range(STATEMENTS)]}, tokens["secretary"])
                conn.close()
                if status != 201:
                    raise RuntimeError("opening the consultation answered %d: %s" % (status, body[:200]))
                args.consultation = json.loads(body)["id"]
                tokens["vote"] = None
            stop = threading.Event()
            acked_lists, errors, threads = [], [], []
            for w in range(args.writers):
                acked = []
                acked_lists.append(acked)
                kind = KINDS[w % len(KINDS)]
                t = threading.Thread(target=writer, daemon=True,
                                     args=(port, tokens[kind], kind, "crash-%s-r%d-w%d" % (tag, rnd_no + 1, w), acked,
                                           stop, 200000, errors,
                                           "/api/v1/councils/ncpt/consultations/%d/votes" % args.consultation))
                threads.append(t)
                t.start()
            time.sleep(rnd.uniform(args.min_delay, args.max_delay))
            if server.proc.poll() is not None:
                raise RuntimeError("server exited by itself during writes (status %s): %s"
                                   % (server.proc.returncode, server.tail()))
            server.kill(signal.SIGKILL)
            server = None
            stop.set()
            for t in threads:
                t.join(timeout=30)
            if errors:
                raise RuntimeError("a write was refused: " + errors[0])
            pending = [s for a in acked_lists for s in a]
            if not pending:
                raise RuntimeError("no write acknowledged before SIGKILL: the writers did not run")
            total_answered += len(pending)
            all_acked.extend(pending)
        # the whole run, straight from the database (the server is still up: WAL reads are fine)
        lost = final_db_rows(args, all_acked)
        if lost:
            failed += 1
            log("crash[%s] all rounds: FAILED: %d of %d acknowledged writes not in the database: %s"
                % (tag, len(lost), len(all_acked), ", ".join(lost[:10])))
        else:
            log("crash[%s] all rounds: %d acknowledged writes (%d appeals, %d votes), all in the database"
                % (tag, len(all_acked), sum(1 for k, _ in all_acked if k == "appeal"),
                   sum(1 for k, _ in all_acked if k == "vote")))
        rc = server.kill(signal.SIGTERM)
        server = None
        if rc != 0:
            failed += 1
            log("crash[%s]: server exited with status %s on SIGTERM" % (tag, rc))
    except Exception as e:  # a broken harness step is a failure, with the reason
        failed += 1
        log("crash[%s]: FAILED: %s" % (tag, e))
    finally:
        if server is not None:
            server.kill(signal.SIGKILL)
    log("RESULT passed=%d failed=%d" % (passed, failed))
    if args.result:
        with open(args.result, "w") as f:
            f.write("RESULT passed=%d failed=%d\n" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
