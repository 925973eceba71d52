#!/usr/bin/env python3
"""Generates the Shanghai demo: scenarios/shanghai-center/{scenario.json,orders.jsonl}.

Seeded and deterministic (Python 3 standard library only). Reads the OpenStreetMap extract
maps/shanghai_center.osm.gz (© OpenStreetMap contributors, ODbL) and puts pickup points and
grid warehouses on real way nodes: pickup points on residential and tertiary streets, warehouses
near the edges of the area (grid warehouses sit on cheaper land). Names, leaders, addresses and
customers are synthetic. Nothing of the map is copied except the coordinates of the chosen nodes
and street names used in addresses.

    python3 tools/gen-shanghai-demo.py [--seed 20250916] [--osm PATH] [--out DIR]
        [--points 150] [--warehouses 3] [--orders 8000] [--min-spacing 550] [--scale 1]
        [--name shanghai-center] [--map-ref ../../maps/shanghai_center.osm.gz]

The defaults write the bundled demo byte for byte. The other values make larger (or smaller)
seeded cities on the same map for benchmarks (tools/bench-day): `--points` pickup points at least
`--min-spacing` metres apart (the map holds 165 at 550 m, 465 at 300 m, 602 at 250 m), the first
`--warehouses` of the three grid warehouses, `--orders` orders, and every fleet count and sorting
capacity × `--scale`; `--map-ref` is the map path written into scenario.json (relative to
`--out`, or absolute). Past 200 points estate names get a phase suffix (二期, 三期 …).
"""
import argparse
import gzip
import datetime as dt
import json
import math
import os
import random
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DELIVERY_DATE = dt.date(2025, 9, 16)
POINTS = 150
ORDERS = 8000
MIN_SPACING_M = 550

# (id, name, weight_g, temperature, units_per_crate, popularity)
SKUS = [
    ("VEG-QINGCAI", "上海青 500g", 500, "ambient", 24, 9),
    ("VEG-TOMATO", "番茄 750g", 750, "ambient", 16, 8),
    ("VEG-POTATO", "土豆 1kg", 1000, "ambient", 12, 6),
    ("VEG-CUCUMBER", "黄瓜 500g", 500, "ambient", 24, 6),
    ("VEG-BROCCOLI", "西兰花 400g", 400, "ambient", 20, 4),
    ("VEG-EGGPLANT", "茄子 600g", 600, "ambient", 20, 3),
    ("VEG-CARROT", "胡萝卜 800g", 800, "ambient", 16, 3),
    ("VEG-CABBAGE", "大白菜 1 颗", 1800, "ambient", 8, 3),
    ("VEG-SCALLION", "小葱 100g", 100, "ambient", 60, 4),
    ("VEG-MUSHROOM", "香菇 300g", 300, "chilled", 24, 3),
    ("FRU-APPLE", "烟台苹果 4 个装", 1000, "ambient", 12, 6),
    ("FRU-BANANA", "香蕉 1kg", 1000, "ambient", 12, 5),
    ("FRU-GRAPE", "阳光玫瑰葡萄 500g", 500, "chilled", 16, 4),
    ("FRU-PEAR", "砀山梨 4 个装", 1200, "ambient", 10, 3),
    ("FRU-ORANGE", "赣南脐橙 2.5kg", 2500, "ambient", 6, 3),
    ("FRU-WATERMELON", "麒麟西瓜 1 个", 4000, "ambient", 4, 2),
    ("EGG-30", "鲜鸡蛋 30 枚", 1800, "ambient", 10, 7),
    ("MILK-950", "鲜牛奶 950ml", 1000, "chilled", 20, 8),
    ("MILK-YOGURT", "原味酸奶 6 杯", 900, "chilled", 16, 5),
    ("TOFU-400", "内酯豆腐 400g", 400, "chilled", 30, 4),
    ("PORK-500", "猪前腿肉 500g", 500, "chilled", 24, 5),
    ("CHICKEN-WING", "冷冻鸡翅中 1kg", 1000, "frozen", 16, 3),
    ("FISH-FILLET", "巴沙鱼片 800g", 800, "frozen", 16, 2),
    ("SHRIMP-500", "冷冻虾仁 500g", 500, "frozen", 24, 2),
    ("DUMPLING-PORK", "猪肉白菜水饺 1kg", 1000, "frozen", 16, 5),
    ("DUMPLING-SHEPHERD", "荠菜馄饨 500g", 500, "frozen", 24, 3),
    ("TANGYUAN", "黑芝麻汤圆 500g", 500, "frozen", 24, 2),
    ("ICECREAM-BOX", "冰淇淋 4 支装", 400, "frozen", 24, 2),
    ("RICE-5KG", "东北大米 5kg", 5000, "ambient", 4, 3),
    ("OIL-5L", "花生油 5L", 4600, "ambient", 4, 2),
    ("NOODLE-1KG", "挂面 1kg", 1000, "ambient", 20, 3),
    ("SOY-SAUCE", "生抽 500ml", 600, "ambient", 24, 2),
    ("BREAD-TOAST", "吐司面包 400g", 400, "ambient", 20, 3),
    ("WATER-24", "矿泉水 550ml×24", 13500, "ambient", 1, 1),
    ("TISSUE-10", "抽纸 10 包", 1600, "ambient", 6, 2),
    ("DETERGENT", "洗衣液 2kg", 2100, "ambient", 8, 1),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆汪范金石廖贾夏韦方邹熊孟秦白江阎薛尹段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ["秀英", "桂英", "玉兰", "建华", "伟", "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
         "超", "霞", "平", "刚", "红梅", "海燕", "建国", "美玲", "晓东", "志强", "丽华", "文静", "春花", "国庆", "小红", "雪梅"]
ESTATE_A = ["康乐", "锦绣", "华庭", "阳光", "长寿", "和平", "金桥", "新华", "春申", "梅园", "桃浦", "曹杨", "宜川", "江宁", "武宁",
            "虹桥", "古北", "天山", "仙霞", "徐家汇", "斜土", "打浦", "瑞金", "南京", "静安", "延中", "凉城", "曲阳", "彩虹", "幸福",
            "明珠", "东方", "世纪", "陆家嘴", "潍坊", "塘桥", "花木", "联洋", "源深", "崂山"]
ESTATE_B = ["小区", "新村", "苑", "公寓", "花园", "大楼", "坊", "里", "家园", "雅苑"]
WAREHOUSE_SITES = [
    # id, name, target (lon, lat) near an edge of the map, sorting capacity (crates)
    ("WH-WEST", "长宁北新泾网格仓", (121.418, 31.222), 1150),
    ("WH-NORTH", "静安彭浦网格仓", (121.458, 31.272), 1050),
    ("WH-PUDONG", "浦东塘桥网格仓", (121.542, 31.200), 1100),
]


def haversine(a, b):
    r = 6371008.8
    p1, p2 = math.radians(a[1]), math.radians(b[1])
    dp, dl = p2 - p1, math.radians(b[0] - a[0])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1, math.sqrt(h)))


def read_osm(path):
    nodes, ways = {}, []
    source = gzip.open(path) if path.endswith(".gz") else open(path, "rb")
    for _, el in ET.iterparse(source):
        if el.tag == "node":
            nodes[int(el.get("id"))] = (float(el.get("lon")), float(el.get("lat")))
            el.clear()
        elif el.tag == "way":
            tags = {t.get("k"): t.get("v") for t in el.findall("tag")}
            refs = [int(n.get("ref")) for n in el.findall("nd")]
            ways.append((int(el.get("id")), tags, refs))
            el.clear()
    return nodes, ways


def largest_scc(ways):
    """Nodes of the largest strongly connected part of the drivable graph (one-way rules and
    access tags as in maps/van-profile.json), so that every chosen node snaps onto the road
    graph `lastmile plan` routes on (Kosaraju, iterative)."""
    blocked = {"no", "private", "agricultural", "forestry", "delivery_no"}
    succ, pred = {}, {}

    def arc(a, b):
        succ.setdefault(a, []).append(b)
        pred.setdefault(b, []).append(a)
        succ.setdefault(b, [])
        pred.setdefault(a, [])

    for _, tags, refs in ways:
        if "highway" not in tags:
            continue
        if any(tags.get(k) in blocked for k in ("access", "vehicle", "motor_vehicle", "motorcar")):
            continue
        ow = tags.get("oneway", "no")
        forward = ow in ("yes", "1", "true") or tags.get("junction") == "roundabout"
        backward = ow == "-1"
        for a, b in zip(refs, refs[1:]):
            if not backward:
                arc(a, b)
            if not forward:
                arc(b, a)
    order, seen = [], set()
    for start in succ:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(succ[start]))]
        while stack:
            v, it = stack[-1]
            nxt = next((w for w in it if w not in seen), None)
            if nxt is None:
                stack.pop()
                order.append(v)
            else:
                seen.add(nxt)
                stack.append((nxt, iter(succ[nxt])))
    comp, best = {}, set()
    for root in reversed(order):
        if root in comp:
            continue
        members, todo = [], [root]
        comp[root] = root
        while todo:
            v = todo.pop()
            members.append(v)
            for w in pred[v]:
                if w not in comp:
                    comp[w] = root
                    todo.append(w)
        if len(members) > len(best):
            best = set(members)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20250916)
    ap.add_argument("--osm", default=os.path.join(ROOT, "maps", "shanghai_center.osm.gz"))
    ap.add_argument("--out", default=os.path.join(ROOT, "scenarios", "shanghai-center"))
    ap.add_argument("--points", type=int, default=POINTS)
    ap.add_argument("--warehouses", type=int, default=len(WAREHOUSE_SITES))
    ap.add_argument("--orders", type=int, default=ORDERS)
    ap.add_argument("--min-spacing", type=float, default=MIN_SPACING_M, help="metres between pickup points")
    ap.add_argument("--scale", type=int, default=1, help="multiplier of every fleet count and sorting capacity")
    ap.add_argument("--name", default="shanghai-center")
    ap.add_argument("--map-ref", default="../../maps/shanghai_center.osm.gz", help="the map as scenario.json names it")
    args = ap.parse_args()
    if not (1 <= args.points <= 999 and 1 <= args.warehouses <= len(WAREHOUSE_SITES)
            and 8 * args.points <= args.orders <= 99_999 and 50 <= args.min_spacing and 1 <= args.scale <= 100):
        sys.exit(f"out of bounds: --points 1..999, --warehouses 1..{len(WAREHOUSE_SITES)}, "
                 "--orders 8·points..99,999, --min-spacing >= 50, --scale 1..100")
    if not os.path.exists(args.osm):
        sys.exit(f"map not found: {args.osm}")
    rng = random.Random(args.seed)
    nodes, ways = read_osm(args.osm)
    lons = [c[0] for c in nodes.values()]
    lats = [c[1] for c in nodes.values()]
    box = (min(lons) + 0.004, min(lats) + 0.004, max(lons) - 0.004, max(lats) - 0.004)

    def inside(c):
        return box[0] <= c[0] <= box[2] and box[1] <= c[1] <= box[3]

    connected = largest_scc(ways)

    # Candidate nodes: interior nodes of named residential / tertiary ways (and narrow lanes)
    # that lie on the connected road graph.
    candidates = []  # (node id, street name, kind)
    seen = set()
    for wid, tags, refs in sorted(ways):
        hw = tags.get("highway")
        name = tags.get("name:zh") or tags.get("name")
        if hw not in ("residential", "tertiary") or not name or len(refs) < 3:
            continue
        narrow = hw == "residential" and (tags.get("lanes") == "1" or name.endswith("弄"))
        kind = "narrow" if narrow else hw
        for ref in refs[1:-1]:
            if ref in seen or ref not in connected or not inside(nodes[ref]):
                continue
            seen.add(ref)
            candidates.append((ref, name, kind))
    rng.shuffle(candidates)
    # Narrow lanes first so that a handful of them get in, then everything else.
    candidates.sort(key=lambda c: 0 if c[2] == "narrow" else 1)

    chosen = []
    narrow_wanted = round(12 * args.points / POINTS)
    for ref, name, kind in candidates:
        if kind == "narrow" and sum(1 for c in chosen if c[2] == "narrow") >= narrow_wanted:
            continue
        c = nodes[ref]
        if all(haversine(c, nodes[o[0]]) >= args.min_spacing for o in chosen):
            chosen.append((ref, name, kind))
        if len(chosen) == args.points:
            break
    if len(chosen) < args.points:
        sys.exit(f"only {len(chosen)} pickup points fit at {args.min_spacing:g} m spacing")

    # Warehouses: the secondary/tertiary node nearest to each edge target.
    road_nodes = sorted({r for _, t, refs in ways if t.get("highway") in ("secondary", "tertiary") for r in refs
                         if r in connected})
    warehouses = []
    for wid, wname, target, capacity in WAREHOUSE_SITES[:args.warehouses]:
        ref = min(road_nodes, key=lambda r: (haversine(nodes[r], target), r))
        street = next((t.get("name:zh") or t.get("name") for _, t, refs in sorted(ways) if ref in refs and t.get("name")), "")
        warehouses.append((wid, wname, nodes[ref], capacity, street))

    def fleet(prefix):
        types = [
            {"id": f"{prefix}-EV", "name": "4.2 米纯电厢式货车", "class": "large", "count": 4, "capacity_crates": 110,
             "capacity_kg": 1800, "cost_per_km_cents": 95, "cost_per_hour_cents": 4500, "cost_per_day_cents": 38000,
             "shift_start": "05:15", "shift_length_minutes": 540, "max_trips": 2, "reload_minutes": 25},
            {"id": f"{prefix}-VAN", "name": "金杯厢式面包车", "class": "medium", "count": 5, "capacity_crates": 60,
             "capacity_kg": 1000, "cost_per_km_cents": 70, "cost_per_hour_cents": 4000, "cost_per_day_cents": 26000,
             "shift_start": "05:15", "shift_length_minutes": 540, "max_trips": 2, "reload_minutes": 20},
            {"id": f"{prefix}-MINI", "name": "五菱纯电微面", "class": "small", "count": 4, "capacity_crates": 30,
             "capacity_kg": 500, "cost_per_km_cents": 35, "cost_per_hour_cents": 3500, "cost_per_day_cents": 16000,
             "shift_start": "05:15", "shift_length_minutes": 540, "max_trips": 3, "reload_minutes": 15},
        ]
        for t in types:
            t["count"] *= args.scale
        return types

    wh_json = []
    for wid, wname, c, capacity, street in warehouses:
        wh_json.append({
            "id": wid, "name": wname, "address": f"上海市{street}{rng.randint(100, 1999)}号",
            "location": {"lon": round(c[0], 7), "lat": round(c[1], 7)},
            "sorting_capacity_crates": capacity * args.scale, "dock_hours": {"from": "04:00", "to": "14:00"},
            "fixed_cost_cents": 420000, "vehicle_types": fleet(wid[3:]),
        })

    windows = [("06:30", "10:00")] * 6 + [("06:00", "09:30")] * 2 + [("07:00", "10:30")] * 2 + [("07:30", "11:00")]
    points = []
    used_names = set()
    for k, (ref, street, kind) in enumerate(chosen):
        c = nodes[ref]
        phase = "" if k < 200 else "二三四五"[k // 200 - 1] + "期"  # 400 names, at most half used per phase
        while True:
            estate = rng.choice(ESTATE_A) + rng.choice(ESTATE_B) + phase
            if estate not in used_names:
                used_names.add(estate)
                break
        leader = rng.choice(SURNAMES) + rng.choice(GIVEN)
        nearest = min(warehouses, key=lambda w: haversine(w[2], c))[0]
        w = rng.choice(windows)
        p = {
            "id": f"PP-{k + 1:03d}", "name": f"{estate}自提点",
            "leader": {"name": leader, "phone": f"1{rng.choice('3589')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"},
            "address": f"上海市{street}{rng.randint(1, 999)}{'号' if kind != 'narrow' else '弄'} {estate}",
            "location": {"lon": round(c[0], 7), "lat": round(c[1], 7)},
            "receiving_window": {"from": w[0], "to": w[1]},
            # Narrow lanes take only a microvan; about half the residential streets no truck.
            "max_vehicle": "small" if kind == "narrow" else "large" if kind == "tertiary" or rng.random() < 0.5 else "medium",
        }
        if rng.random() < 0.94:
            p["previous_warehouse_id"] = nearest
        points.append(p)

    scenario = {
        "name": args.name, "city": "上海 Shanghai", "time_zone": "Asia/Shanghai",
        "map": args.map_ref, "cutoff": "23:00",
        "travel": {"circuity": 1.35, "speed_kmh": 22},
        "service": {"fixed_seconds": 240, "per_crate_seconds": 15},
        "stability_penalty_cents": 3000,
        "warehouses": wh_json, "pickup_points": points,
        "skus": [{"id": s[0], "name": s[1], "weight_g": s[2], "temperature": s[3], "units_per_crate": s[4]} for s in SKUS],
    }

    # Orders: community sizes vary (log-normal), every order 1-5 lines, mostly 1 unit each.
    # Narrow-lane points are old lane houses (弄堂): smaller communities.
    sizes = [rng.lognormvariate(0, 0.45) * (0.5 if p["max_vehicle"] == "small" else 1) for p in points]
    total = sum(sizes)
    counts = [max(8, round(args.orders * s / total)) for s in sizes]
    counts[-1] += args.orders - sum(counts)
    popularity = [s[5] for s in SKUS]
    day_before = DELIVERY_DATE - dt.timedelta(days=1)
    tz = dt.timezone(dt.timedelta(hours=8))
    raw = []
    for p, n in zip(points, counts):
        residents = [f"C-{p['id'][3:]}-{i + 1:03d}" for i in range(max(5, int(n * 0.8)))]
        groups = [f"G-{DELIVERY_DATE:%m%d}-{p['id'][3:]}-{g + 1}" for g in range(rng.randint(1, 4))]
        for _ in range(n):
            k = rng.choices([1, 2, 3, 4, 5], weights=[30, 30, 20, 12, 8])[0]
            items = []
            for sku in rng.choices(range(len(SKUS)), weights=popularity, k=k * 2):
                if len(items) < k and all(SKUS[sku][0] != i["sku"] for i in items):
                    qty = rng.choices([1, 2, 3], weights=[75, 20, 5])[0]
                    items.append({"sku": SKUS[sku][0], "qty": qty})
            # Completions spread over the day before, busiest in the evening, all before 23:00.
            minute = min(22 * 60 + 59, int(rng.triangular(7 * 60, 23 * 60, 21 * 60)))
            at = dt.datetime.combine(day_before, dt.time(minute // 60, minute % 60, rng.randint(0, 59)), tz)
            raw.append((at, p["id"], rng.choice(groups), rng.choice(residents), items))
    raw.sort(key=lambda r: (r[0], r[1], r[3]))
    lines = []
    for i, (at, pid, gid, cid, items) in enumerate(raw):
        lines.append(json.dumps({
            "order_id": f"O-{DELIVERY_DATE:%Y%m%d}-{i + 1:05d}", "group_id": gid, "pickup_point_id": pid,
            "customer_id": cid, "delivery_date": DELIVERY_DATE.isoformat(), "completed_at": at.isoformat(),
            "lines": items}, ensure_ascii=False, separators=(",", ":")))

    # What-if material for `lastmile simulate` (docs/simulation.md); `lastmile plan` ignores it. Drawn
    # after everything above and without the RNG, so the plan's inputs stay as they were.
    scenario["simulation"] = simulation_section(points, sizes)
    scenario["variants"] = variants_section(nodes, ways, road_nodes, fleet)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "scenario.json"), "w", encoding="utf-8") as f:
        json.dump(scenario, f, ensure_ascii=False, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "orders.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    narrow = sum(1 for p in points if p["max_vehicle"] == "small")
    print(f"wrote {args.out}: {len(warehouses)} warehouses, {len(points)} pickup points ({narrow} narrow lanes), "
          f"{len(SKUS)} SKUs, {len(lines)} orders for {DELIVERY_DATE}")


def simulation_section(points, sizes):
    """The demand model: the demo day's community sizes, SKU popularity and basket shape, a weekly
    rhythm, the National Day and Mid-Autumn peaks of 2025, and slow growth."""
    mean = sum(sizes) / len(sizes)
    by_class = {}
    for s in SKUS:
        by_class[s[3]] = by_class.get(s[3], 0) + s[5]
    return {
        "start_date": DELIVERY_DATE.isoformat(),
        "seed": 1,
        "demand": {
            # About 8,000 completed orders on an ordinary weekday, as in orders.jsonl.
            "orders_per_point": 58,
            "point_factors": {p["id"]: round(z / mean, 2) for p, z in zip(points, sizes)},
            "weekday_factors": [0.95, 0.95, 1.0, 1.0, 1.05, 1.15, 1.1],
            "promotions": [
                {"name": "国庆囤货 National Day stock-up", "date": "2025-09-30", "factor": 1.35},
                {"name": "中秋 Mid-Autumn", "date": "2025-10-06", "factor": 1.25},
            ],
            "weekly_growth_percent": 1.5,
            "sku_weights": {s[0]: s[5] for s in SKUS},
            "temperature_mix": {t: by_class[t] for t in ("ambient", "chilled", "frozen")},
            "lines_per_order": [30, 30, 20, 12, 8],
            "units_per_line": [75, 20, 5],
            "groups_per_point": 3,
            "group_failure_rate": 0.06,
            "completion": {"from": "07:00", "peak": "21:00", "to": "24:00"},
        },
    }


def variants_section(nodes, ways, road_nodes, fleet):
    target = (121.535, 31.245)  # eastern Pudong, between WH-NORTH and WH-PUDONG
    ref = min(road_nodes, key=lambda r: (haversine(nodes[r], target), r))
    street = next((t.get("name:zh") or t.get("name") for _, t, refs in sorted(ways) if ref in refs and t.get("name")), "")
    east = {
        "id": "WH-EAST", "name": "浦东洋泾网格仓", "address": f"上海市{street}688号",
        "location": {"lon": round(nodes[ref][0], 7), "lat": round(nodes[ref][1], 7)},
        "sorting_capacity_crates": 800, "dock_hours": {"from": "04:00", "to": "14:00"},
        "fixed_cost_cents": 360000, "vehicle_types": fleet("EAST"),
    }
    grow = {"change": "scale_demand", "factor": 1.3}
    return [
        {"name": "demand+30%", "description": "every pickup point orders 30% more, network unchanged", "changes": [grow]},
        {"name": "demand+30%-east-warehouse",
         "description": "30% more demand with a fourth grid warehouse in eastern Pudong; pickup points are "
                        "re-cut across the four warehouses on the first day",
         "changes": [grow, {"change": "add_warehouse", "warehouse": east}, {"change": "reassign_points"}]},
        {"name": "cutoff-22:00", "description": "cut-off an hour earlier: late groups roll over to the next day",
         "changes": [{"change": "cutoff", "cutoff": "22:00"}]},
        {"name": "windows-07:00-09:30", "description": "every pickup point receives between 07:00 and 09:30",
         "changes": [{"change": "receiving_windows", "window": {"from": "07:00", "to": "09:30"}}]},
    ]


if __name__ == "__main__":
    main()
