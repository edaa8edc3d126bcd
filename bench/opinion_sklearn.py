#!/usr/bin/env python3
# bench/opinion_sklearn.py: scikit-learn baseline for the opinion update (dense imputed PCA(2) + KMeans).
"""Usage: opinion_sklearn.py DIR

Reads DIR/votes.csv and DIR/comments.csv (Pol.is export format), builds the
dense participant x comment matrix (latest vote wins, rejected/meta columns
zeroed, missing cells imputed with the column mean as Pol.is does), then runs
PCA(2), the sparsity-aware projection scaling, KMeans(100) base clusters on
participants with >= min(7, C) votes and weighted KMeans k=2..5 on the base
centres chosen by silhouette. Prints parse/compute/total times and peak RSS.
"""
import csv
import resource
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    d = sys.argv[1]
    t0 = time.perf_counter()
    with open(d + "/votes.csv", newline="") as f:
        r = csv.reader(f)
        h = next(r)
        it, ic, ip, iv = (h.index(k) for k in ("timestamp", "comment-id", "voter-id", "vote"))
        ts, cs, ps, vs = [], [], [], []
        for row in r:
            ts.append(int(row[it]))
            cs.append(int(row[ic]))
            ps.append(int(row[ip]))
            vs.append(int(row[iv]))
    modout = set()
    try:
        with open(d + "/comments.csv", newline="") as f:
            r = csv.reader(f)
            h = next(r)
            i_id, i_mod = h.index("comment-id"), h.index("moderated")
            i_meta = h.index("is-meta") if "is-meta" in h else -1
            for row in r:
                if int(row[i_mod]) == -1 or (i_meta >= 0 and row[i_meta] == "true"):
                    modout.add(int(row[i_id]))
    except FileNotFoundError:
        pass
    t = np.array(ts, dtype=np.int64)
    c = np.array(cs, dtype=np.int64)
    p = np.array(ps, dtype=np.int64)
    v = np.array(vs, dtype=np.float64)
    del ts, cs, ps, vs
    t1 = time.perf_counter()

    # latest vote wins
    order = np.lexsort((np.arange(len(t)), t))
    c, p, v = c[order], p[order], v[order]
    pids, prow = np.unique(p, return_inverse=True)
    tids, tcol = np.unique(c, return_inverse=True)
    n, m = len(pids), len(tids)
    M = np.full((n, m), np.nan)
    M[prow, tcol] = v  # later (newer) assignments overwrite older ones
    nvotes = np.sum(~np.isnan(M), axis=1)
    for j, tid in enumerate(tids):
        if int(tid) in modout:
            M[:, j] = 0.0
    seen = ~np.isnan(M)
    mean = np.nanmean(M, axis=0)
    X = np.where(seen, M, mean[None, :])
    del M
    pca = PCA(n_components=2, random_state=0)
    proj = pca.fit_transform(X)
    nseen = np.maximum(seen.sum(axis=1), 1)
    proj *= np.sqrt(m / nseen)[:, None]
    inconv = nvotes >= min(7, m)
    pts = proj[inconv]
    base = KMeans(n_clusters=min(100, len(pts)), n_init=1, random_state=0).fit(pts)
    centres = base.cluster_centers_
    w = np.bincount(base.labels_, minlength=len(centres)).astype(float)
    best = None
    for k in range(2, min(5, 2 + len(centres) // 12) + 1):
        g = KMeans(n_clusters=k, n_init=1, random_state=0).fit(centres, sample_weight=w)
        s = silhouette_score(centres, g.labels_) if len(set(g.labels_)) > 1 else 0.0
        if best is None or s >= best[0]:
            best = (s, k, g)
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("sklearn: %d participants x %d comments, %d in conversation, k=%d"
          % (n, m, int(inconv.sum()), best[1]))
    print("time: parse %.1f ms, compute %.1f ms, total %.1f ms; peak RSS %d KiB"
          % ((t1 - t0) * 1e3, (t2 - t1) * 1e3, (t2 - t0) * 1e3, rss))
    return 0


if __name__ == "__main__":
    sys.exit(main())
