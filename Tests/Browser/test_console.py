"""The dispatch console in a real browser (headless Chromium) against the real daemon.

Each test is one named step of the console's acceptance list; the steps run in file order on one
page and build on each other (the stop moved in step 3 is saved in step 5). Every step saves a
screenshot under $LASTMILE_TEST_OUT (default /tmp/lastmile-browser); a failure names the step and
its screenshot."""
import collections
import contextlib
import json
import os
import pathlib
import time

import pytest

STATE = {}


def wait(driver, cond, timeout=20, what="condition"):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        try:
            v = cond()
            if v:
                return v
        except Exception as e:  # noqa: BLE001  (the DOM changes under us while re-rendering)
            last = e
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}" + (f" (last error: {last})" if last else ""))


@contextlib.contextmanager
def step(driver, out_dir, name):
    shot = out_dir / f"{name}.png"
    try:
        yield shot
    except BaseException as e:  # noqa: B036
        if isinstance(e, pytest.skip.Exception):
            raise
        with contextlib.suppress(Exception):
            driver.save_screenshot(str(shot))
        raise AssertionError(f"step {name} failed: {e}\nscreenshot: {shot}") from e
    if not shot.exists():   # a step may have saved its own (the print tab, the tablet size)
        driver.save_screenshot(str(shot))


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def wait_evaluated(driver, timeout=30):
    """The edit bar shows an answer of evaluate for the latest change."""
    return wait(driver, lambda: js(driver, """
        const e = window.lastmileConsole.edit.evaluation;
        return !e.pending && (e.result || e.error) ? {ok: !!e.result, error: e.error && e.error.message} : null"""),
        timeout, "the evaluate answer")


def select_route(driver, key):
    card = driver.find_element("css selector", f'#route-list .route[data-route-id="{key}"]')
    if "selected" not in card.get_attribute("class").split():
        card.find_element("css selector", ".route-head").click()
    return wait(driver, lambda: driver.find_elements("css selector", f'ol[data-testid=route-stops][data-route-id="{key}"]'),
                10, f"the stops of {key}")


def shown_stops(driver, key):
    return js(driver, """return [...document.querySelectorAll(`ol[data-testid=route-stops][data-route-id="${arguments[0]}"] li[data-stop-id]`)]
                         .map(li => [li.dataset.stopId, li.querySelector('[data-testid=stop-eta]').textContent])""", key)


def open_console(driver, daemon):
    driver.get(daemon.url + "/")
    wait(driver, lambda: js(driver, "return document.body.dataset.ready === 'true'"), 30, "the page to load (body[data-ready])")


def test_1_routes_drawn(daemon, driver, out_dir):
    with step(driver, out_dir, "1-routes-drawn"):
        plan = daemon.get(f"/v1/plans/{daemon.plan_id}")
        geo = daemon.get(f"/v1/plans/{daemon.plan_id}/routes.geojson")
        STATE["plan"] = plan
        open_console(driver, daemon)
        wait(driver, lambda: js(driver, "return !!window.L"), 5, "Leaflet")
        legs = js(driver, """const m = {}; for (const p of document.querySelectorAll('#map path[data-kind=leg]')) m[p.dataset.routeId] = (m[p.dataset.routeId] || 0) + 1; return m""")
        stops = js(driver, "return [...document.querySelectorAll('#map path[data-kind=stop]')].map(p => p.dataset.routeId + '|' + p.dataset.stopId)")
        want_legs = collections.Counter(f["properties"]["route_id"] for f in geo["features"] if f["properties"]["kind"] == "leg")
        assert plan["routes"], "the plan has no routes"
        for r in plan["routes"]:
            assert want_legs[r["route_id"]] == len(r["stops"]) + 1, f"routes.geojson has {want_legs[r['route_id']]} legs for {r['route_id']}"
            assert legs.get(r["route_id"]) == len(r["stops"]) + 1, \
                f"route {r['route_id']}: {legs.get(r['route_id'])} leg lines drawn, plan has {len(r['stops'])} stops (+1 leg back)"
        assert len(legs) == len(plan["routes"]), f"{len(legs)} routes drawn, plan has {len(plan['routes'])}"
        want_stops = sorted(f"{r['route_id']}|{s['pickup_point_id']}" for r in plan["routes"] for s in r["stops"])
        assert sorted(stops) == want_stops, f"{len(stops)} stop markers drawn, plan has {len(want_stops)} stops"
        figs = driver.find_element("css selector", "[data-testid=fig-orders] b").text
        assert figs.replace(",", "") == str(plan["totals"]["orders"]), f"orders figure {figs}"
        # Money fields are integer cents (`cost_cents`); the figure shows yuan with two decimals.
        van_cost = driver.find_element("css selector", "[data-testid=fig-cost] b").text
        assert van_cost.replace(",", "") == f"¥{plan['totals']['cost_cents'] / 100:.2f}", f"van cost figure {van_cost}"
        unassigned_points = {u["pickup_point_id"] for u in plan["unassigned"]}
        drawn_un = js(driver, "return document.querySelectorAll('#map path[data-kind=unassigned]').length")
        assert drawn_un == len(unassigned_points), f"{drawn_un} unassigned rings, plan has {len(unassigned_points)} points"
        marks = js(driver, "return performance.getEntriesByName('routes-drawn').length")
        assert marks == 1, "performance mark routes-drawn missing"


def capacities(daemon):
    scen = daemon.get("/v1/scenario")
    return {f"{t['id']}-{n}": t["capacity_crates"] for w in scen["warehouses"] for t in w["vehicle_types"] for n in range(1, t["count"] + 1)}


def pick_routes(plan, caps, locked=()):
    """A stop of route a (several stops) moves to route b of the same warehouse, the pair with
    the most room left on b (possibly none: then step 3 shows a capacity violation already); the
    other routes of that warehouse feed step 4."""
    best = None
    free = [r for r in plan["routes"] if r["route_id"] not in locked]
    for a in free:
        if len(a["stops"]) < 2:
            continue
        for stop in a["stops"]:
            for b in free:
                if b is a or b["warehouse_id"] != a["warehouse_id"] or b["vehicle_id"] == a["vehicle_id"]:
                    continue
                room = caps[b["vehicle_id"]] - b["load"]["crates"] - stop["load"]["crates"]
                if best is None or room > best[0]:
                    best = (room, a, b, stop)
    assert best, "no warehouse with two vans and a route of several stops"
    _, a, b, stop = best
    rest = [r for r in free if r["warehouse_id"] == a["warehouse_id"] and r is not a and r is not b]
    return a, b, stop, rest


def test_2_click_route_lists_stops(daemon, driver, out_dir):
    with step(driver, out_dir, "2-route-stops"):
        plan = STATE["plan"]
        STATE["caps"] = capacities(daemon)
        locked = {r["route_id"] for r in daemon.get(f"/v1/plans/{daemon.plan_id}/routes") if r.get("dispatched_at")}
        a, b, moved, rest = pick_routes(plan, STATE["caps"], locked)
        select_route(driver, a["route_id"])
        got = [sid for sid, _ in shown_stops(driver, a["route_id"])]
        assert got == [s["pickup_point_id"] for s in a["stops"]], f"stops listed {got}, plan order {[s['pickup_point_id'] for s in a['stops']]}"
        etas = [eta for _, eta in shown_stops(driver, a["route_id"])]
        assert etas == [s["arrival"][11:16] for s in a["stops"]], f"ETAs listed {etas}"
        # The map highlights it; a click on a stop marker opens its popup with the leader and the load.
        first = a["stops"][0]["pickup_point_id"]
        marker = driver.find_element("css selector", f'#map path[data-kind=stop][data-route-id="{a["route_id"]}"][data-stop-id="{first}"]')
        js(driver, "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: 1, clientY: 1}))", marker)
        text = wait(driver, lambda: js(driver, f"return document.querySelector('.leaflet-popup [data-testid=stop-popup][data-stop-id=\"{first}\"]')?.innerText"), 5, "the stop popup")
        scen = daemon.get("/v1/scenario")
        leader = next(p for p in scen["pickup_points"] if p["id"] == first)["leader"]["name"]
        assert leader in text and "chilled" in text and a["stops"][0]["arrival"][11:16] in text, f"popup text: {text}"
        js(driver, "document.querySelector('.leaflet-popup-close-button')?.click()")
        STATE["a"], STATE["b"], STATE["rest"], STATE["moved_stop"] = a, b, rest, moved


def test_3_move_stop_changes_cost_and_etas(daemon, driver, out_dir):
    with step(driver, out_dir, "3-move-stop"):
        from selenium.webdriver.support.ui import Select
        a, b = STATE["a"], STATE["b"]
        moved = STATE["moved_stop"]["pickup_point_id"]
        select_route(driver, a["route_id"])
        sel = driver.find_element("css selector", f'ol[data-route-id="{a["route_id"]}"] li[data-stop-id="{moved}"] select[data-testid=stop-move-select]')
        Select(sel).select_by_value(b["route_id"])
        assert wait_evaluated(driver)["ok"], "evaluate failed"
        body = js(driver, "return window.lastmileConsole.edit.body()")
        status, server = daemon.request("POST", f"/v1/plans/{daemon.plan_id}/evaluate", {"routes": body["routes"]})
        assert status == 200, f"evaluate: {status} {server}"
        cents = int(driver.find_element("css selector", "[data-testid=cost-delta]").get_attribute("data-cents"))
        assert cents == server["delta"]["cost_cents"], f"cost delta shown {cents}, server says {server['delta']['cost_cents']}"
        assert cents != 0, "moving a stop left the cost unchanged"
        shown = driver.find_element("css selector", "[data-testid=cost-delta]").text
        assert shown.startswith(("+¥", "−¥")), f"cost delta text {shown}"
        select_route(driver, b["route_id"])
        got = shown_stops(driver, b["route_id"])
        srv = next(r for r in server["routes"] if r.get("source_route_id") == b["route_id"])
        assert [sid for sid, _ in got] == [s["pickup_point_id"] for s in srv["stops"]], f"stops shown {got}"
        assert [eta for _, eta in got] == [s["arrival"][11:16] for s in srv["stops"]], f"ETAs shown {got}, server {[s['arrival'] for s in srv['stops']]}"
        assert moved in [sid for sid, _ in got]
        STATE["moved"] = moved
        STATE["capacity_after_move"] = any(v["kind"] == "capacity" for v in server["violations"])


DND = """
const [src, dst] = arguments;
const dt = new DataTransfer();
src.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: dt}));
const r = dst.getBoundingClientRect();
const at = {bubbles: true, cancelable: true, dataTransfer: dt, clientX: r.left + 5, clientY: r.top + 5};
dst.dispatchEvent(new DragEvent('dragover', at));
dst.dispatchEvent(new DragEvent('drop', at));
src.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: dt}));
"""


def test_4_capacity_violation_in_words(daemon, driver, out_dir):
    with step(driver, out_dir, "4-capacity"):
        b = STATE["b"]
        cap = STATE["caps"][b["vehicle_id"]]
        load = b["load"]["crates"] + STATE["moved_stop"]["load"]["crates"]
        moves = 0
        for r in STATE["rest"] + [STATE["a"]]:
            for s in [x for x in r["stops"] if x["pickup_point_id"] != STATE["moved"]]:
                if load > cap + 5 and moves:
                    break
                select_route(driver, r["route_id"])
                src = driver.find_element("css selector", f'ol[data-route-id="{r["route_id"]}"] li[data-stop-id="{s["pickup_point_id"]}"]')
                dst = driver.find_element("css selector", f'#route-list .route[data-route-id="{b["route_id"]}"]')
                js(driver, DND, src, dst)   # HTML5 drag and drop onto the (collapsed) card of route b
                wait(driver, lambda: js(driver, "return window.lastmileConsole.edit.workingRoutes().find(r => r.key === arguments[0]).stops.some(s => s.pickup_point_id === arguments[1])",
                                        b["route_id"], s["pickup_point_id"]), 5, f"{s['pickup_point_id']} on {b['route_id']}")
                load += s["load"]["crates"]
                moves += 1
        assert load > cap and moves, f"could not load {b['vehicle_id']} over its {cap} crates"
        wait_evaluated(driver)
        js(driver, "document.querySelector('#side [data-tab=violations]').click()")
        items = wait(driver, lambda: [e.text for e in driver.find_elements("css selector", "[data-testid=violation][data-kind=capacity]")], 10, "a capacity violation")
        assert any(b["vehicle_id"] in t and "capacity" in t for t in items), f"capacity violations shown: {items}"
        badge = driver.find_elements("css selector", f'#route-list .route[data-route-id="{b["route_id"]}"] [data-testid=route-violation-badge]')
        assert badge, "no red badge on the overloaded route"
        STATE["capacity_moves"] = moves


def test_5_save_new_version(daemon, driver, out_dir):
    with step(driver, out_dir, "5-saved"):
        for _ in range(STATE["capacity_moves"]):
            driver.find_element("id", "undo").click()
        wait(driver, lambda: js(driver, "return window.lastmileConsole.edit.editedKeys().size") == 2, 10, "undo back to the one moved stop")
        wait_evaluated(driver)
        if not STATE["capacity_after_move"]:
            assert not driver.find_elements("css selector", "[data-testid=violation][data-kind=capacity]"), "capacity violation still shown after undo"
        before = daemon.get(f"/v1/plans?date={daemon.day}")["plans"]
        driver.find_element("id", "save").click()
        # The page asks for the token once (kept in sessionStorage), then for the author's name.
        wait(driver, lambda: driver.find_element("id", "token-dialog").is_displayed(), 5, "the token dialog")
        driver.find_element("id", "token-input").send_keys("devtoken-0123456789abcdef")
        driver.find_element("css selector", "[data-testid=token-ok]").click()
        wait(driver, lambda: driver.find_element("id", "author-dialog").is_displayed(), 5, "the author dialog")
        driver.find_element("id", "author-input").clear()
        driver.find_element("id", "author-input").send_keys("测试 Browser test")
        driver.find_element("id", "note-input").send_keys(f"moved {STATE['moved']}")
        driver.find_element("css selector", "[data-testid=author-ok]").click()
        wait(driver, lambda: len(daemon.get(f"/v1/plans?date={daemon.day}")["plans"]) == len(before) + 1, 60, "the new version")
        plans = daemon.get(f"/v1/plans?date={daemon.day}")["plans"]
        new = plans[-1]
        assert new["current"] and new["trigger"] == "edit", f"new version {new}"
        wait(driver, lambda: js(driver, "return window.lastmileConsole.state.planId") == new["plan_id"], 20, "the page to switch to the new version")
        driver.refresh()
        wait(driver, lambda: js(driver, "return document.body.dataset.ready === 'true'"), 30, "the reloaded page")
        assert js(driver, "return window.lastmileConsole.state.planId") == new["plan_id"], "after reload the page shows another version"
        cur = driver.find_element("css selector", "[data-testid=version][data-current=true]")
        assert cur.get_attribute("data-plan-id") == str(new["plan_id"])
        assert f"v{new['version']}" in driver.find_element("id", "plan-label").text
        saved = daemon.get(f"/v1/plans/{new['plan_id']}")
        b = next(r for r in saved["routes"] if STATE["moved"] in [s["pickup_point_id"] for s in r["stops"]])
        assert b["vehicle_id"] == STATE["b"]["vehicle_id"], f"{STATE['moved']} is on {b['vehicle_id']} in the saved version"
        STATE["saved"] = new["plan_id"]


def test_6_print_pick_list_totals(daemon, driver, out_dir):
    with step(driver, out_dir, "6-pick-list") as shot:
        pid = STATE.get("saved", daemon.plan_id)
        docs = daemon.get(f"/v1/plans/{pid}/documents")["documents"]
        plan = daemon.get(f"/v1/plans/{pid}")
        wh = plan["routes"][0]["warehouse_id"]
        doc = f"print/warehouses/{wh}/pick-list.html"
        if doc not in docs:
            pytest.skip(f"this build publishes no {doc} (no printable pages in this build); documents: {len(docs)}")
        driver.find_element("css selector", "#print-menu summary").click()
        link = wait(driver, lambda: driver.find_element("css selector", f'#print-list a[data-doc="{doc}"]'), 10, "the pick-list link")
        main = driver.current_window_handle
        link.click()
        wait(driver, lambda: len(driver.window_handles) > 1, 10, "the print tab")
        driver.switch_to.window([h for h in driver.window_handles if h != main][0])
        try:
            wait(driver, lambda: driver.find_elements("css selector", "#total-all"), 10, "the totals of the pick list")
            shown = {}
            for t in ("ambient", "chilled", "frozen"):
                rows = driver.find_elements("css selector", f"#total-{t} td")
                shown[t] = int(rows[3].text.replace(",", "")) if rows else 0
            driver.save_screenshot(str(shot))
        finally:
            driver.close()
            driver.switch_to.window(main)
        # The print page is the daemon's, not the console's: its entries are judged here. Chrome
        # asks every page without an icon link for /favicon.ico, which the daemon does not serve.
        print_log = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        STATE["console_log"] = [e for e in print_log if "/favicon.ico" not in e["message"]]
        bad = [e["message"] for e in print_log if "/print/" in e["message"]]
        assert not bad, f"SEVERE entries on the print page: {bad}"
        scen = daemon.get("/v1/scenario")
        temp = {s["id"]: s["temperature"] for s in scen["skus"]}
        ids = {o for r in plan["routes"] if r["warehouse_id"] == wh for s in r["stops"] for o in s["order_ids"]}
        want = collections.Counter()
        for o in daemon.orders:
            if o["order_id"] in ids:
                for line in o["lines"]:
                    want[temp[line["sku"]]] += line["qty"]
        assert shown == {t: want[t] for t in ("ambient", "chilled", "frozen")}, f"pick list {wh} shows {shown}, orders say {dict(want)}"


def test_7_no_severe_console_errors(daemon, driver, out_dir):
    with step(driver, out_dir, "7-browser-log"):
        logs = STATE.pop("console_log", []) + driver.get_log("browser")
        severe = [e for e in logs if e.get("level") == "SEVERE"]
        assert not severe, "SEVERE entries in the browser log:\n" + "\n".join(e["message"] for e in severe)


def test_8_tablet_layout(daemon, driver, out_dir):
    from lastmile_daemon import set_viewport
    with step(driver, out_dir, "8-tablet-1024x768") as shot:
        set_viewport(driver, 1024, 768)
        time.sleep(0.5)
        assert js(driver, "return [innerWidth, innerHeight]") == [1024, 768]
        inner = js(driver, "return [innerWidth, innerHeight]")
        m = js(driver, "const r = document.getElementById('map').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]")
        s = js(driver, "const r = document.getElementById('side').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]")
        assert m[2] >= 600 and m[3] >= 200, f"map is {m[2]}×{m[3]} at {inner}"
        assert s[2] >= 300 and s[3] >= 150 and s[1] < inner[1] - 100, f"side panel at {s} in a {inner} window"
        assert s[0] + s[2] <= inner[0] + 1, f"side panel overflows the width: {s}"
        assert driver.find_elements("css selector", "#map path[data-kind=leg]"), "no routes on the map at 1024×768"
        driver.save_screenshot(str(shot))
        set_viewport(driver, 1280, 800)


def test_9_without_leaflet(binary, driver, out_dir, tmp_path):
    """A daemon that finds no Leaflet: the page opens, says how to install it, lists still work."""
    import lastmile_daemon
    if os.environ.get("LASTMILE_TEST_URL"):
        pytest.skip("needs its own daemon (LASTMILE_TEST_URL set)")
    other = lastmile_daemon.Daemon(binary, pathlib.Path(__file__).resolve().parents[2], tmp_path)
    with step(driver, out_dir, "9-without-leaflet"):
        other.start(env_extra={"LASTMILE_LEAFLET_DIR": str(tmp_path / "no-leaflet")})
        try:
            assert other.get("/v1/console/config")["leaflet"] is False
            driver.get_log("browser")
            open_console(driver, other)
            banner = driver.find_element("css selector", "[data-testid=banner]")
            assert banner.is_displayed() and "libjs-leaflet" in banner.text, f"banner: {banner.text!r}"
            assert "No plan" in driver.find_element("id", "route-list").text
            assert not js(driver, "return !!window.L"), "Leaflet loaded although the daemon has none"
            severe = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
            assert not severe, f"SEVERE browser-log entries without Leaflet: {severe}"
            driver.save_screenshot(str(out_dir / "9-without-leaflet.png"))
        finally:
            other.stop()


def test_10_tile_server_replaces_the_roads_layer(binary, driver, out_dir, tmp_path):
    """With a tile URL configured, the map asks the installation's tile server and not the roads layer."""
    import http.server
    import struct
    import threading
    import zlib
    import lastmile_daemon
    if os.environ.get("LASTMILE_TEST_URL"):
        pytest.skip("needs its own daemon (LASTMILE_TEST_URL set)")

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    # One grey pixel as a PNG; the browser stretches it over the 256-pixel tile.
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(b"\x00\xc8")) + chunk(b"IEND", b"")
    asked = []

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *a):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tile_url = f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
    other = lastmile_daemon.Daemon(binary, pathlib.Path(__file__).resolve().parents[2], tmp_path)
    with step(driver, out_dir, "10-tile-server"):
        other.start(env_extra={"LASTMILE_TILE_URL": tile_url})
        try:
            assert other.get("/v1/console/config")["tile_url"] == tile_url
            driver.get_log("browser")
            open_console(driver, other)
            wait(driver, lambda: js(driver, "return document.querySelectorAll('#map img.leaflet-tile-loaded').length > 0"),
                 20, "a tile from the tile server on the map")
            assert asked and all(p.endswith(".png") for p in asked), f"tile requests: {asked[:5]}"
            roads = js(driver, "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/v1/map/roads'))")
            assert not roads, f"the roads layer was fetched although tiles are configured: {roads}"
            severe = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
            assert not severe, f"SEVERE browser-log entries with a tile server: {severe}"
            driver.save_screenshot(str(out_dir / "10-tile-server.png"))
        finally:
            other.stop()
            server.shutdown()


def test_11_print_pages_when_reads_need_a_token(binary, driver, out_dir, tmp_path):
    """read_access "token": the print menu opens the index through a read session and its
    relative links (index → pick list) work as plain links."""
    import lastmile_daemon
    if os.environ.get("LASTMILE_TEST_URL"):
        pytest.skip("needs its own daemon (LASTMILE_TEST_URL set)")
    other = lastmile_daemon.Daemon(binary, pathlib.Path(__file__).resolve().parents[2], tmp_path)
    with step(driver, out_dir, "11-print-with-read-token") as shot:
        # Any plan will do here: a short search keeps the debug build quick.
        other.start(iterations=20, env_extra={"LASTMILE_READ_ACCESS": "token"})
        try:
            other.load_demo()
            status, _ = other.request("GET", f"/v1/plans/{other.plan_id}/print/index.html", auth=False)
            assert status == 401, f"a print page without token or session answered {status}"
            driver.get(other.url + "/console/style.css")
            js(driver, "sessionStorage.setItem('lastmile.token', arguments[0])", lastmile_daemon.TOKEN)
            open_console(driver, other)
            driver.find_element("css selector", "#print-menu summary").click()
            link = wait(driver, lambda: driver.find_element("css selector", '#print-list a[data-doc="print/index.html"]'), 10, "the index link")
            main = driver.current_window_handle
            link.click()
            wait(driver, lambda: len(driver.window_handles) > 1, 10, "the print tab")
            driver.switch_to.window([h for h in driver.window_handles if h != main][0])
            try:
                pick = wait(driver, lambda: driver.find_element("css selector", 'a[href$="pick-list.html"]'), 15, "the index page's pick-list link")
                pick.click()
                wait(driver, lambda: driver.find_elements("css selector", "#total-all"), 10, "the pick list opened from the index")
                driver.save_screenshot(str(shot))
            finally:
                driver.close()
                driver.switch_to.window(main)
        finally:
            other.stop()


def test_12_a_region_console_under_its_prefix(binary, driver, out_dir, tmp_path):
    """A daemon of regions: the index lists them, and a region's console at /regions/{id}/ reads its
    own API under that prefix (routes drawn, print links, no console errors)."""
    import lastmile_daemon
    if os.environ.get("LASTMILE_TEST_URL"):
        pytest.skip("needs its own daemon (LASTMILE_TEST_URL set)")
    repo = pathlib.Path(__file__).resolve().parents[2]
    config = tmp_path / "regions.json"
    config.write_text(json.dumps({"regions": [{"id": "sh", "scenario": str(repo / "scenarios/shanghai-center")}]}))
    other = lastmile_daemon.Daemon(binary, repo, tmp_path)
    with step(driver, out_dir, "12-region-console"):
        other.start(iterations=20, extra_args=["--config", str(config)])
        root = other.url
        try:
            other.url = root + "/regions/sh"
            plan_id = other.load_demo()
            geo = other.get(f"/v1/plans/{plan_id}/routes.geojson")
            driver.get(root + "/")
            link = driver.find_element("css selector", "[data-testid=regions] a")
            assert link.get_attribute("href") == root + "/regions/sh/", link.get_attribute("href")
            driver.get_log("browser")
            open_console(driver, other)
            wait(driver, lambda: js(driver, "return document.querySelectorAll('#map path[data-kind=leg]').length > 0"), 20, "routes drawn")
            legs = js(driver, "return document.querySelectorAll('#map path[data-kind=leg]').length")
            want = sum(1 for f in geo["features"] if f["properties"]["kind"] == "leg")
            assert legs == want, f"{legs} legs drawn, the region's plan has {want}"
            driver.find_element("css selector", "#print-menu summary").click()
            wait(driver, lambda: driver.find_elements("css selector", "#print-list a[data-doc]"), 10, "the print links")
            hrefs = js(driver, "return [...document.querySelectorAll('#print-list a[data-doc]')].map(a => a.getAttribute('href'))")
            assert hrefs and all(h.startswith(f"/regions/sh/v1/plans/{plan_id}/") for h in hrefs), f"print links {hrefs[:3]}"
            severe = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
            assert not severe, f"SEVERE browser-log entries in the region console: {severe}"
            driver.save_screenshot(str(out_dir / "12-region-console.png"))
        finally:
            other.stop()
