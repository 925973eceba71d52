#!/usr/bin/env python3
"""The peer solvers of tools/bench-day on one VROOM-JSON problem; runs under the peers' venv
(`PY=$(../shared/anchors/setup.sh)`: pyvrp 0.14, pyvroom 1.15), one solver per process.

    $PY tools/bench_day_peers.py --solver vroom|pyvrp --problem P.vroom.json --out ANSWER.json \
        [--seconds 10] [--seed 1] [--vroom-level 5]

Writes the solver's routes as a VROOM answer (routes[].vehicle, routes[].steps[] with type
start/job/reload/end and the job id; unassigned[]) that `lastmile check-vroom` re-scores, and
prints one JSON line: solver, seconds (wall time of the solve call), solver_cost (the solver's
own objective, in cents), cpu_seconds (process CPU, model building included), relaxation (what the solver was given beyond the problem), error.

* VROOM has no multi-trip vans: every van of `max_trips` N is given to it as N single-trip
  copies with the same shift and no reload time (a relaxation in VROOM's favour: the copies
  may drive at the same time). The copies' routes are merged back into their van, in order of
  their first arrival, with a `reload` step between them. Exploration level 5 (--vroom-level),
  one thread, no timeout.
* PyVRP gets the problem through its Model API: one vehicle type per group of equal vans
  (num_available = the group's size; they differ only in id and description), reloads at the
  warehouse (index 0) with max_reloads = max_trips - 1 and the reload time as the service time
  of a reload depot at the warehouse's location (PyVRP charges a depot's service at the start
  of every trip it begins there, so the start depot has none). Costs in cents × K, K the least
  scale that makes every per_km / 1000 per metre and per_hour / 3600 per second an integer
  (at most 18,000); PyVRP's penalty cap is raised by the same K, or an overloaded trip would
  look cheaper to it than a reload. Skills become routing profiles in which the edges into a
  job a van may not serve are 10^8 m and s long.
"""
import argparse
import json
import math
import os
import sys
import tempfile
import time

FORBIDDEN = 10**8  # metres and seconds of an edge into a job a van lacks the skills for
MAX_PENALTY = 100_000.0  # PyVRP's default cap on a penalty term, in unscaled cost units


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def max_trips(vehicle):
    return int(vehicle.get("lastmile", {}).get("max_trips", 1))


def reload_seconds(vehicle):
    return int(vehicle.get("lastmile", {}).get("reload_s", 0))


# ---------------------------------------------------------------------------------------------
# VROOM: single-trip copies of every van
# ---------------------------------------------------------------------------------------------
def replicate_vehicles(problem):
    """(problem for VROOM, {copy id: van id}): every van of N trips as N single-trip copies."""
    copies, origin = [], {}
    next_id = 1
    for v in problem["vehicles"]:
        for trip in range(max_trips(v)):
            c = {k: val for k, val in v.items() if k != "lastmile"}
            c["id"] = next_id
            c["description"] = f"{v.get('description', v['id'])}#{trip + 1}"
            origin[next_id] = v["id"]
            copies.append(c)
            next_id += 1
    relaxed = dict(problem, vehicles=copies)
    return relaxed, origin


def departure(route):
    """When a copy's trip really starts: its first job's arrival (VROOM starts every copy at the
    shift's start unless told otherwise), then its start step's, then its id."""
    first = next((s.get("arrival") for s in route["steps"] if s["type"] == "job"), None)
    start = route["steps"][0].get("arrival", 0)
    return (start if first is None else first, start, route["vehicle"])


def merge_copies(answer, origin):
    """One route per van: its copies' trips in order of first arrival, a reload step between them."""
    by_van = {}
    for r in answer.get("routes", []):
        by_van.setdefault(origin[r["vehicle"]], []).append(r)
    routes = []
    for van, trips in sorted(by_van.items()):
        trips.sort(key=departure)
        steps = [{"type": "start"}]
        for k, r in enumerate(trips):
            if k:
                steps.append({"type": "reload"})
            steps += [{"type": "job", "id": s["id"], "arrival": s.get("arrival")} for s in r["steps"] if s["type"] == "job"]
        steps.append({"type": "end"})
        routes.append({"vehicle": van, "steps": steps, "vroom_copies": [r["vehicle"] for r in trips]})
    unassigned = [{"id": u["id"]} for u in answer.get("unassigned", [])]
    return {"routes": routes, "unassigned": unassigned, "summary": {"cost": answer.get("summary", {}).get("cost")}}


def solve_vroom(problem, seconds=None, seed=None, level=5):
    """VROOM on the relaxed problem; (answer in the van's terms, solver cost, seconds)."""
    import vroom

    relaxed, origin = replicate_vehicles(problem)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(relaxed, f)
        path = f.name
    try:
        inp = vroom.Input.from_json(path)
    finally:
        os.unlink(path)
    t0 = time.perf_counter()
    sol = inp.solve(exploration_level=level, nb_threads=1)
    dt = time.perf_counter() - t0
    raw = sol.to_dict()
    return merge_copies(raw, origin), raw["summary"]["cost"], dt


# ---------------------------------------------------------------------------------------------
# PyVRP: Model API, reloads at the warehouse
# ---------------------------------------------------------------------------------------------
def cost_scale(problem):
    """Least K with per_km·K/1000 and per_hour·K/3600 integers for every vehicle."""
    k = 1
    for v in problem["vehicles"]:
        c = v.get("costs", {})
        for rate, unit in ((int(c.get("per_km", 0)), 1000), (int(c.get("per_hour", 3600)), 3600)):
            k = math.lcm(k, unit // math.gcd(rate, unit))
    return k


def pyvrp_model(problem, scale):
    """(Model, client index → job id, vehicle type index → its van ids); costs in cents × scale."""
    from pyvrp import Model

    if any(v.get("start_index") != 0 or v.get("end_index") != 0 for v in problem["vehicles"]):
        raise ValueError("bench-day's PyVRP model expects every van to start and end at index 0")
    mat = problem["matrices"]["car"]
    m = Model()
    locs = [m.add_location(0.0, 0.0, name=str(i)) for i in range(len(mat["distances"]))]
    start = m.add_depot(locs[0], name="warehouse")
    reload_depots = {}
    for v in problem["vehicles"]:
        s = reload_seconds(v)
        if max_trips(v) > 1 and s not in reload_depots:
            reload_depots[s] = m.add_depot(locs[0], service_duration=s, name=f"reload {s} s")
    profiles = skill_profiles(m, problem, locs)
    jobs = add_clients(m, problem, locs)
    vehicles = add_vans(m, problem, start, reload_depots, profiles, scale)
    for i, a in enumerate(locs):
        for k, b in enumerate(locs):
            if i != k:
                m.add_edge(a, b, distance=int(mat["distances"][i][k]), duration=int(mat["durations"][i][k]))
    return m, jobs, vehicles


def add_clients(m, problem, locs):
    """One client per job (amounts, service, its one window); the job ids in client order."""
    jobs = []
    for j in problem["jobs"]:
        tw = (j.get("time_windows") or [[0, 2**62]])[0]
        m.add_client(locs[j["location_index"]], delivery=list(j.get("delivery", [])), pickup=list(j.get("pickup", [])),
                     service_duration=int(j.get("service", 0)), tw_early=int(tw[0]), tw_late=int(tw[1]),
                     name=str(j["id"]))
        jobs.append(j["id"])
    return jobs


def van_groups(problem):
    """The vans that PyVRP cannot tell apart (everything but id and description equal), in file order."""
    groups = {}
    for v in problem["vehicles"]:
        key = json.dumps({k: val for k, val in v.items() if k not in ("id", "description")}, sort_keys=True)
        groups.setdefault(key, []).append(v)
    return list(groups.values())


def add_vans(m, problem, start, reload_depots, profiles, scale):
    """One vehicle type per group of equal vans (num_available = their number): capacity, shift,
    costs × scale, reloads; per type the ids of its vans."""
    vehicles = []
    for group in van_groups(problem):
        v = group[0]
        costs = v.get("costs", {})
        tw = v.get("time_window", [0, 2**62])
        reload = {}
        if max_trips(v) > 1:
            reload = {"reload_depots": [reload_depots[reload_seconds(v)]], "max_reloads": max_trips(v) - 1}
        m.add_vehicle_type(len(group), capacity=list(v.get("capacity", [])), start_depot=start, end_depot=start,
                           fixed_cost=int(costs.get("fixed", 0)) * scale,
                           tw_early=int(tw[0]), tw_late=int(tw[1]),
                           unit_distance_cost=int(costs.get("per_km", 0)) * scale // 1000,
                           unit_duration_cost=int(costs.get("per_hour", 3600)) * scale // 3600,
                           profile=profiles.get(frozenset(v.get("skills", []))), name=str(v["id"]), **reload)
        vehicles.append([u["id"] for u in group])
    return vehicles


def skill_profiles(m, problem, locs):
    """VROOM's skills as PyVRP routing profiles: one per distinct skill set of the vans, in which
    every edge into a job the set does not cover is prohibitively long. {skill set: profile}."""
    sets = {frozenset(v.get("skills", [])) for v in problem["vehicles"]}
    if not any(j.get("skills") for j in problem["jobs"]):
        return {}
    profiles = {}
    for skills in sorted(sets, key=sorted):
        prof = profiles[skills] = m.add_profile(name="skills " + ",".join(map(str, sorted(skills))))
        for j in problem["jobs"]:
            if not set(j.get("skills", [])) <= skills:
                to = locs[j["location_index"]]
                for a in locs:
                    if a is not to:
                        m.add_edge(a, to, distance=FORBIDDEN, duration=FORBIDDEN, profile=prof)
    return profiles


def pyvrp_answer(solution, jobs, vehicles):
    """PyVRP's solution as a VROOM answer: a route of a type goes to the type's next unused van; a
    depot visit inside a route is a reload."""
    routes, served = [], set()
    free = [list(ids) for ids in vehicles]
    for r in solution.routes():
        steps = [{"type": "start"}]
        for a in r.schedule():
            if a.is_client():
                steps.append({"type": "job", "id": jobs[a.idx], "arrival": int(a.start_time)})
                served.add(jobs[a.idx])
            elif a.is_depot() and steps[-1]["type"] == "job":
                steps.append({"type": "reload"})
        if steps[-1]["type"] == "reload":
            steps.pop()
        steps.append({"type": "end"})
        routes.append({"vehicle": free[r.vehicle_type()].pop(0), "steps": steps})
    unassigned = [{"id": j} for j in jobs if j not in served]
    return {"routes": routes, "unassigned": unassigned}


def solve_pyvrp(problem, seconds=10.0, seed=1, level=None):
    from pyvrp import PenaltyParams, SolveParams
    from pyvrp.stop import MaxRuntime

    scale = cost_scale(problem)
    m, jobs, vehicles = pyvrp_model(problem, scale)
    params = SolveParams(penalty=PenaltyParams(max_penalty=MAX_PENALTY * scale))
    t0 = time.perf_counter()
    res = m.solve(stop=MaxRuntime(max(0.05, seconds)), seed=seed, display=False, params=params)
    dt = time.perf_counter() - t0
    answer = pyvrp_answer(res.best, jobs, vehicles)
    answer["summary"] = {"cost": res.cost() / scale, "feasible": res.is_feasible()}
    return answer, res.cost() / scale, dt


SOLVERS = {"vroom": solve_vroom, "pyvrp": solve_pyvrp}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--solver", choices=sorted(SOLVERS), required=True)
    ap.add_argument("--problem", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--vroom-level", type=int, default=5, choices=range(6), help="VROOM's exploration level")
    a = ap.parse_args(argv)
    line = {"solver": a.solver, "problem": os.path.basename(a.problem)}
    try:
        c0 = time.process_time()
        answer, cost, dt = SOLVERS[a.solver](load(a.problem), a.seconds, a.seed, a.vroom_level)
        line["cpu_seconds"] = round(time.process_time() - c0, 3)  # well below seconds: the run was starved
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(answer, f)
        line.update(seconds=round(dt, 3), solver_cost=cost)
        if "feasible" in answer.get("summary", {}):
            line["solver_feasible"] = answer["summary"]["feasible"]
        if a.solver == "vroom":
            line["exploration_level"] = a.vroom_level
            if any(max_trips(v) > 1 for v in load(a.problem)["vehicles"]):
                line["relaxation"] = "each van of N trips as N single-trip copies, same shift, no reload time"
    except Exception as e:  # noqa: BLE001 - reported, the bench goes on
        line["error"] = f"{type(e).__name__}: {e}"
    print(json.dumps(line), flush=True)
    return 0 if "error" not in line else 1


if __name__ == "__main__":
    sys.exit(main())
