"""The benchmarks' targets, in one place.

p95 of RUNS requests (after one warm-up), in milliseconds, through the Django test client on
the large county. Chosen from what this machine (two cores) measures (benchmarks/README.md,
"Measured"): on SQLite and on PostgreSQL every page but one has a p95 under 100 ms and every
API list under 75 ms, so the targets leave three times that; the meeting page (160-195 ms,
rendering the owner lists of its action-item forms) has less than twice.
"""

RUNS = 20

TARGET_P95_MS = {
    "page": 300,
    "api": 200,
}
