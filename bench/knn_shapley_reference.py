#!/usr/bin/env python3
"""Exact KNN-Shapley in NumPy: the anchor for bench/knn_shapley_bench.cpp.

A straightforward transcription of the published code of Jia et al. (VLDB 2019): per validation
point, squared distances, a stable argsort (ties go to the lower training row), then the recursion
as a Python loop from the farthest point back. Same arithmetic, in the same order, as
src/attribution/knn_shapley.cpp: distances summed over the coordinates in order, the farthest
row worth 1[match] / max(N, K), each step (delta / K) * min(K, i) / i.

Usage: knn_shapley_reference.py --train T.csv --valid V.csv --k 5 --out values.txt
Writes one value per training row (repr, round-trips) and prints "load_s X compute_s Y".
"""
import argparse
import sys
import time

import numpy as np


def load(path):
    data = np.loadtxt(path, delimiter=",", ndmin=2)
    return np.asfortranarray(data[:, :-1]), data[:, -1].astype(np.int64)


def knn_shapley(x_train, y_train, x_valid, y_valid, k):
    n, dim = x_train.shape
    m = len(y_valid)
    total = [0.0] * n
    for j in range(m):
        x = x_valid[j]
        dist = np.zeros(n)
        for c in range(dim):
            diff = x_train[:, c] - x[c]
            dist += diff * diff
        order = np.argsort(dist, kind="stable").tolist()
        match = (y_train == y_valid[j]).tolist()
        last = order[-1]
        s = int(match[last]) / max(n, k)
        total[last] += s
        for i in range(n - 2, -1, -1):
            a = order[i]
            s = s + (int(match[a]) - int(match[order[i + 1]])) / k * min(k, i + 1) / (i + 1)
            total[a] += s
    return [t / m for t in total]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--valid", required=True)
    parser.add_argument("--k", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.k < 1:
        sys.exit("--k must be >= 1")
    t0 = time.perf_counter()
    x_train, y_train = load(args.train)
    x_valid, y_valid = load(args.valid)
    t1 = time.perf_counter()
    values = knn_shapley(x_train, y_train, x_valid, y_valid, args.k)
    t2 = time.perf_counter()
    with open(args.out, "w") as f:
        f.write("\n".join(repr(v) for v in values))
        f.write("\n")
    print(f"load_s {t1 - t0:.3f} compute_s {t2 - t1:.3f}")


if __name__ == "__main__":
    main()
