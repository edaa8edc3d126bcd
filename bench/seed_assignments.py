#!/usr/bin/env python3
"""seed_assignments.py URL TOKEN N: issues N assignments in the NCPT council as
the chair (the bench's "busy public page": a council's assignments list with
hundreds of records). Standard library only; loopback only."""
import http.client
import json
import sys
import urllib.parse

url, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
u = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
agencies = ["mvd", "minfin", "kgd", "minjust", "mio", "mlsp"]
for i in range(n):
    body = json.dumps({
        "title": "Bench assignment %d: review the regional follow-up of the council's decision" % (i + 1),
        "body": "Generated for the benchmark.",
        "agency": agencies[i % len(agencies)],
        "deadline": "2027-%02d-%02d" % (1 + i % 12, 1 + i % 28),
    })
    conn.request("POST", "/api/v1/councils/ncpt/assignments", body=body,
                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    r = conn.getresponse()
    data = r.read()
    if r.status != 201:
        sys.exit("seed_assignments: %d %s" % (r.status, data[:300]))
print("seeded %d assignments" % n)
