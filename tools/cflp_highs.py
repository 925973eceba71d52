#!/usr/bin/env python3
"""Peer run for tools/bench-cflp: the same strong CFLP model as Lastmile's, solved by HiGHS.

    min  sum f_i y_i + sum c_ij x_ij
    s.t. sum_i x_ij = 1                     (every customer served)
         sum_j d_j x_ij - s_i y_i <= 0      (capacity)
         x_ij - y_i <= 0                    (linking, all m*n rows)
         sum_i s_i y_i >= sum_j d_j         (aggregate capacity)
         y binary, 0 <= x <= 1 (x binary with --single-source)

Prints one JSON line: objective, bound, status, seconds (model build + solve, not file reading
or Python start-up), open (0-based). Needs highspy and numpy (../shared/anchors/setup.sh).
"""
import argparse
import json
import time

import highspy
import numpy as np


def read_cap(path, capacity):
    tokens = open(path).read().split()
    m, n = int(tokens[0]), int(tokens[1])
    at = 2
    cap, fixed = [], []
    for _ in range(m):
        word = tokens[at]
        if word == "capacity":
            if capacity is None:
                raise SystemExit(f"{path}: the file writes 'capacity'; give --capacity")
            cap.append(float(capacity))
        else:
            cap.append(float(word))
        fixed.append(float(tokens[at + 1]))
        at += 2
    demand = np.zeros(n)
    cost = np.zeros((m, n))
    for j in range(n):
        demand[j] = float(tokens[at])
        cost[:, j] = [float(t) for t in tokens[at + 1:at + 1 + m]]
        at += 1 + m
    return np.array(cap), np.array(fixed), demand, cost


def build_and_solve(cap, fixed, demand, cost, seconds, single):
    m, n = cost.shape
    inf = highspy.kHighsInf
    # Columns: y_0..y_{m-1}, then x_ij at m + i*n + j.
    ncol = m + m * n
    col_cost = np.concatenate([fixed, cost.reshape(-1)])
    col_lower = np.zeros(ncol)
    col_upper = np.ones(ncol)
    # Rows in order: n assignment, m capacity, m*n linking, 1 aggregate.
    rows_i, rows_j, vals = [], [], []
    lower, upper = [], []
    r = 0
    xs = m + np.arange(m)[:, None] * n + np.arange(n)[None, :]
    for j in range(n):
        rows_i.append(np.full(m, r)); rows_j.append(xs[:, j]); vals.append(np.ones(m))
        lower.append(1.0); upper.append(1.0); r += 1
    for i in range(m):
        rows_i.append(np.full(n + 1, r)); rows_j.append(np.concatenate([xs[i], [i]]))
        vals.append(np.concatenate([demand, [-cap[i]]]))
        lower.append(-inf); upper.append(0.0); r += 1
    link_rows = r + np.arange(m * n)
    rows_i.append(np.repeat(link_rows, 2))
    rows_j.append(np.stack([xs.reshape(-1), np.repeat(np.arange(m), n)], axis=1).reshape(-1))
    vals.append(np.tile([1.0, -1.0], m * n))
    lower.extend([-inf] * (m * n)); upper.extend([0.0] * (m * n)); r += m * n
    rows_i.append(np.full(m, r)); rows_j.append(np.arange(m)); vals.append(cap)
    lower.append(float(demand.sum())); upper.append(inf); r += 1

    ri = np.concatenate(rows_i); rj = np.concatenate(rows_j); rv = np.concatenate(vals)
    order = np.lexsort((ri, rj))  # column-major for HiGHS
    ri, rj, rv = ri[order], rj[order], rv[order]
    start = np.searchsorted(rj, np.arange(ncol + 1))

    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = r
    lp.col_cost_ = col_cost
    lp.col_lower_ = col_lower
    lp.col_upper_ = col_upper
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start.astype(np.int32)
    lp.a_matrix_.index_ = ri.astype(np.int32)
    lp.a_matrix_.value_ = rv
    integrality = [highspy.HighsVarType.kInteger] * m
    integrality += [highspy.HighsVarType.kInteger if single else highspy.HighsVarType.kContinuous] * (m * n)
    lp.integrality_ = integrality

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(seconds))
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.passModel(lp)
    h.run()
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    sol = h.getSolution()
    has = info.primal_solution_status == 2
    y = list(sol.col_value[:m]) if has else []
    return {
        "objective": info.objective_function_value if has else None,
        "bound": info.mip_dual_bound,
        "status": status,
        "open": [i for i in range(m) if has and y[i] > 0.5],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--capacity")
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument("--single-source", action="store_true")
    a = ap.parse_args()
    data = read_cap(a.file, a.capacity)
    t0 = time.perf_counter()
    out = build_and_solve(*data, a.time_limit, a.single_source)
    out["seconds"] = time.perf_counter() - t0
    print(json.dumps(out))


if __name__ == "__main__":
    main()
