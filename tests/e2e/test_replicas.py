"""Two replicas behind nginx (``deploy/local.py``, ``deploy/nginx.conf``) in a real browser: each
session sticks to its replica while it trains, the sessions spread over both replicas, and when one
replica dies the other's sessions train on, while the dead one's browsers move over and start anew.

Which replica serves a browser: the ``X-Upstream`` header nginx adds to every response (read by a
``fetch`` from the page, which carries the page's cookies), and nginx's access log, which logs each
websocket with the replica it reached when it closes. A browser's route is the ``nnpg_route`` cookie
the balancer sets on its first request; a context's first request is a health check, so the test
can keep opening contexts until it has one on each replica (each lands on a random one).
"""

import contextlib
import os
import re
import signal
import time

import pytest
from playwright.sync_api import expect

from deploy import local
from playground.core.config import Config
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.harness import VIEWPORT, free_port
from tests.e2e.test_playground import button, open_app, wait_for
from tests.e2e.test_sessions import LOST, RECONNECT_MS, link, notice, view

REPLICAS = 2
ROUTE_COOKIE = "nnpg_route"
MAX_CONTEXTS = 24  # a new context lands on either replica with probability 1/2: all on one, 2^-23
CONFIGS = (
    Config(dataset="moons", hidden=(8,), learning_rate=0.1),
    Config(dataset="xor", hidden=(6,), learning_rate=0.1, noise=0.2),
)
TICKS = 8  # "many ticks": server round trips a session must receive, from its own replica, per check

# The replica that answers this page's requests (its cookie decides), as nginx reports it.
UPSTREAM_JS = """async () => {
  const response = await fetch('/_stcore/health', {cache: 'no-store'});
  return response.headers.get('x-upstream');
}"""
# The live view's newest payload: its server stream (one per Streamlit session) and sequence number.
LATEST_JS = """() => {
  const view = document.querySelector('.nnl')?.parentElement?.__nnLive;
  const last = view && view.received.length ? view.received[view.received.length - 1] : null;
  return last ? {stream: view.stream, seq: last.seq} : null;
}"""


def distinct_free_ports(n):
    ports = set()
    while len(ports) < n:
        ports.add(free_port())
    return sorted(ports)


@pytest.fixture
def deployment(tmp_path):
    """2 replicas and nginx on loopback, started and stopped (by PID) by deploy/local.py."""
    try:
        d = local.start(tmp_path, port=free_port(), host="127.0.0.1", ports=distinct_free_ports(REPLICAS))
    except RuntimeError as error:  # nginx missing, a replica that does not start: a failure
        pytest.fail(str(error), pytrace=False)
    try:
        yield d
    finally:
        d.stop()


def upstream(page):
    return page.evaluate(UPSTREAM_JS)


def route(context):
    return {c["name"]: c["value"] for c in context.cookies()}.get(ROUTE_COOKIE)


def sessions_on_each_replica(browser, url, stack):
    """{replica address: browser context} with one context per replica: new contexts (new cookie
    jars) until both replicas have one. Each context's route cookie comes from the balancer."""
    chosen, seen = {}, []
    for _ in range(MAX_CONTEXTS):
        ctx = browser.new_context(viewport=VIEWPORT)
        ctx.set_default_timeout(TIMEOUT_MS)
        response = ctx.request.get(f"{url}/_stcore/health")
        address = response.headers.get("x-upstream")
        seen.append(address)
        assert response.ok and address, (response.status, response.headers)
        assert route(ctx), f"the balancer set no {ROUTE_COOKIE} cookie: {ctx.cookies()}"
        if address in chosen:
            ctx.close()
            continue
        stack.callback(ctx.close)
        chosen[address] = ctx
        if len(chosen) == REPLICAS:
            return chosen
    raise AssertionError(f"{MAX_CONTEXTS} new browsers all landed on {set(seen)}: no spreading")


def wait_for_ticks(page, stream, since, message):
    """Wait until this page has received ``TICKS`` more payloads of its own server stream."""
    js = f"""() => {{
      const s = ({LATEST_JS})();
      return s && s.stream === {stream!r} && s.seq >= {since + TICKS} ? s : null;
    }}"""
    try:
        return page.wait_for_function(js).json_value()
    except Exception as error:
        raise AssertionError(f"{message}: now {page.evaluate(LATEST_JS)}, was seq {since}") from error


@pytest.mark.browser
def test_sessions_stick_to_their_replica_and_survive_the_other_one_dying(browser, deployment):
    url = deployment.url
    pid_of = {f"127.0.0.1:{port}": pid for pid, port in deployment.replicas}
    with contextlib.ExitStack() as stack:
        contexts = sessions_on_each_replica(browser, url, stack)
        assert set(contexts) == set(pid_of), (contexts, pid_of)  # one browser on each replica
        (keep, ctx_keep), (lose, ctx_lose) = sorted(contexts.items())
        pages = {keep: ctx_keep.new_page(), lose: ctx_lose.new_page()}
        routes = {address: route(ctx) for address, ctx in contexts.items()}
        for (address, page), config in zip(pages.items(), CONFIGS):
            open_app(page, link(url, config))
            assert upstream(page) == address  # the page and its websocket: the context's replica
        for page in pages.values():
            button(page, "play").click()
        for page in pages.values():
            wait_for(page, "s.running && s.epoch >= 20", "Play trains")

        # Many ticks later, each session still trains in the same server session on the same replica.
        latest = {address: page.evaluate(LATEST_JS) for address, page in pages.items()}
        for address, page in pages.items():
            before = wait_for(page, "s.running && s.epoch !== null", "training")
            now = wait_for_ticks(page, latest[address]["stream"], latest[address]["seq"], "ticks")
            wait_for(page, f"s.running && s.epoch > {before['epoch']}", "the epoch counter grows")
            assert upstream(page) == address and route(contexts[address]) == routes[address]
            expect(notice(page)).to_be_hidden()
            latest[address] = now
        assert latest[keep]["stream"] != latest[lose]["stream"]

        # One replica dies (SIGKILL, as a crash): the other replica's session trains on, untouched.
        os.kill(pid_of[lose], signal.SIGKILL)
        killed = time.monotonic()
        survivor = pages[keep]
        at_kill = wait_for(survivor, "s.running && s.epoch !== null", "training at the kill")
        wait_for_ticks(survivor, latest[keep]["stream"], latest[keep]["seq"], "the survivor's ticks")
        after = wait_for(survivor, f"s.running && s.epoch > {at_kill['epoch']}", "the survivor trains on")
        assert after["epoch"] > at_kill["epoch"]
        assert view(survivor)["stream"] == latest[keep]["stream"], "the survivor's session changed"
        assert upstream(survivor) == keep
        expect(notice(survivor)).to_be_hidden()

        # nginx logged the dead replica's websocket (101) with that browser's route and that replica.
        log = (deployment.run_dir / "access.log").read_text()
        websocket = rf'"GET /_stcore/stream HTTP/1\.1" 101 \d+ upstream={re.escape(lose)} '
        assert re.search(websocket + rf"route={routes[lose]} ", log), log[-2000:]

        # The browser that was on it reconnects by itself, through the balancer, to the other replica:
        # a new session, which says so, and trains again on Play.
        moved = pages[lose]
        moved.set_default_timeout(RECONNECT_MS)
        try:
            wait_for(moved, "s.idle && !s.running && s.epoch === 0 && s.z !== null", "reconnected")
            expect(notice(moved)).to_have_text(LOST)
        finally:
            moved.set_default_timeout(TIMEOUT_MS)
        print(
            f"the moved browser: a new session on the other replica {time.monotonic() - killed:.1f} s later"
        )
        assert upstream(moved).split(", ")[-1] == keep and route(contexts[lose]) == routes[lose]
        button(moved, "play").click()
        wait_for(moved, "s.running && s.epoch >= 10", "Play on the other replica")
        wait_for(survivor, f"s.running && s.epoch > {after['epoch']}", "the survivor still trains")
        expect(notice(survivor)).to_be_hidden()
