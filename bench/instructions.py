#!/usr/bin/env python3
"""bench/instructions.py: instructions per request, counted by callgrind.

wrk's figures move by up to 15 % between runs of the same code on this
machine (nginx's too); an instruction count does not. This runs `kenes serve`
(one worker thread) under valgrind's callgrind on the bench's database and,
for each page of the bench, counts the instructions the whole process executed
over N requests on one keep-alive connection, after a warm-up: cold (`?lang=en`,
rendered from the database each time) and cached (as anonymous visitors get
it). Each count is split by the library that executed it: Kenes itself,
SQLite, libc, libmicrohttpd, the rest (xxhash, the loader, ...). What the
kernel does (sending, receiving) is not counted: callgrind sees user space
only.

Usage: instructions.py KENES DB LOCALEDIR PAGES OUT [N]
  PAGES: bench/run.sh's list, "label path file content-type" per line.
  OUT: gets one markdown table row per page, then key=value lines.
Loopback only; the server it starts is stopped by its PID; a limit of
10 minutes in all.
"""
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

GROUPS = (("Kenes", None), ("SQLite", "libsqlite3"), ("libc", "libc.so"), ("libmicrohttpd", "libmicrohttpd"))


def group_of(obj, kenes):
    if obj == kenes:
        return "Kenes"
    for name, part in GROUPS[1:]:
        if part in obj:
            return name
    return "other"


def costs_by_object(path, kenes):
    """Sums a callgrind dump's self cost (Ir) per object file."""
    names, ob, skip, sums = {}, None, False, {}
    for line in open(path, errors="replace"):
        if line.startswith(("ob=", "cob=")):
            # a name is given once, where its number first appears (a callee's object too)
            m = re.match(r"c?ob=\((\d+)\)(?: (.*))?", line.rstrip("\n"))
            if m.group(2) is not None:
                names[m.group(1)] = m.group(2)
            if line.startswith("ob="):
                ob = names.get(m.group(1), "?")
        elif line.startswith("calls="):
            skip = True  # the next cost line is the call's inclusive cost
        elif line[:1].isdigit() or line[:1] in "+-*":
            if skip:
                skip = False
                continue
            parts = line.split()
            if len(parts) >= 2 and ob is not None:
                g = group_of(ob, kenes)
                sums[g] = sums.get(g, 0) + int(parts[1])
    return sums


def main():
    if len(sys.argv) < 6:
        sys.stderr.write(__doc__)
        return 2
    kenes, db, locale, pages, out = sys.argv[1:6]
    n = int(sys.argv[6]) if len(sys.argv) > 6 else 200
    kenes = os.path.realpath(kenes)
    deadline = time.time() + 600
    tmp = tempfile.mkdtemp(prefix="kenes-cg-")
    log = open(os.path.join(tmp, "serve.log"), "w")
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--callgrind-out-file=%s/cg.%%p" % tmp, kenes, "serve",
                             "--db", "sqlite:" + db, "--listen", "127.0.0.1:0", "--access-log", "off",
                             "--locale-dir", locale, "--threads", "1"], stdout=log, stderr=subprocess.STDOUT)
    rows, keys = [], []
    try:
        port = None
        while port is None and time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("kenes under valgrind exited: " + open(log.name).read()[-2000:])
            m = re.search(r"\(port (\d+)\)", open(log.name).read())
            port = int(m.group(1)) if m else None
            time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

        def get(path):
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                raise RuntimeError("GET %s: %d" % (path, r.status))
            return len(body)

        dumps = 0
        for line in open(pages):
            f = line.split()
            if len(f) < 2:
                continue
            path = f[1]
            counts = {}
            for variant, url in (("cold", path + ("&" if "?" in path else "?") + "lang=en"), ("cached", path)):
                for _ in range(10):
                    get(url)
                subprocess.run(["callgrind_control", "-z", str(proc.pid)], check=True, capture_output=True)
                for _ in range(n):
                    get(url)
                subprocess.run(["callgrind_control", "-d", str(proc.pid)], check=True, capture_output=True)
                dumps += 1
                dump = "%s/cg.%d.%d" % (tmp, proc.pid, dumps)
                for _ in range(100):
                    if os.path.exists(dump):
                        break
                    time.sleep(0.1)
                counts[variant] = {k: v / n for k, v in costs_by_object(dump, kenes).items()}
                if time.time() > deadline:
                    raise RuntimeError("over 10 minutes")
            c = counts["cold"]
            total = sum(c.values())
            cells = " | ".join("%.0f" % c.get(g, 0) for g, _ in GROUPS)
            rows.append("| `%s` | **%.0f** | %s | %.0f | **%.0f** |" % (path, total, cells, c.get("other", 0),
                                                                        sum(counts["cached"].values())))
            keys.append("%s cold=%.0f cached=%.0f" % (path, total, sum(counts["cached"].values())))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        for name in os.listdir(tmp):
            os.unlink(os.path.join(tmp, name))
        os.rmdir(tmp)
    with open(out, "w") as o:
        o.write("\n".join(rows) + "\n")
        o.write("\n".join(keys) + "\n")
        o.write("requests=%d\n" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
