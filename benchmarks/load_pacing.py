"""When a load-benchmark session asks the server for a run, as the Playground's frontend does.

The clocks of benchmarks/load_client.py's ``Session``: live_view.js's ``pace`` (ask for the next tick
once a running payload has arrived, no sooner than its ``tick_ms``; ask again after a silence of
WATCHDOG x the round trip) and the frontend's ``setInterval`` for a fragment's ``run_every``
(``ForwardMsg.auto_rerun``). A ``Pacer`` sends through its session's ``rerun`` and counts what it sent.
"""

import asyncio
import time

WATCHDOG, WATCHDOG_MIN = 4, 5.0  # live_view.js: ask again after max(5 s, 4 x the round trip)


class Pacer:
    """A session's pending tick request, its watchdog and its ``run_every`` timers."""

    def __init__(self, rerun):
        self.rerun = rerun  # the session's BackMsg.rerun_script sender
        self.timers = {}  # fragment id -> (interval, task)
        self.tick_task = self.watchdog_task = None  # the pending tick request and its watchdog
        self.asked = self.asked_at = 0.0  # when the pending / the last tick was asked for
        self.round_trip = 0.2  # seconds from asking for a tick to its payload (running average)
        self.auto_reruns_sent = self.tick_requests = 0

    async def tick_every(self, fragment_id, interval):
        """The frontend's ``setInterval``: a fragment rerun every ``interval`` seconds."""
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            due = max(due + interval, loop.time())
            await asyncio.sleep(due - loop.time())
            self.auto_reruns_sent += 1
            await self.rerun(fragment_id=fragment_id, auto=True)

    def pace(self, data, now, rerunning, fragment_id):
        """live_view.js's ``pace``: ask for the next tick once a running payload has arrived, no
        sooner than ``tick_ms`` after the previous request; ask again after a silence of
        WATCHDOG x the usual round trip. ``rerunning``: this payload's ack already reran;
        ``fragment_id``: the live component's fragment."""
        for task in (self.tick_task, self.watchdog_task):
            if task:
                task.cancel()
        self.tick_task = self.watchdog_task = None
        if self.asked:
            self.round_trip = 0.7 * self.round_trip + 0.3 * (now - self.asked)
        self.asked = 0.0
        if not data.get("running") or not data.get("tick_ms") or not fragment_id:
            return
        seq, loop = data["seq"], asyncio.get_running_loop()

        async def ask(delay, send):
            await asyncio.sleep(delay)
            self.asked = self.asked_at = time.monotonic()
            if send:
                self.tick_requests += 1
                await self.rerun(fragment_id=fragment_id, tick=seq)
            self.watchdog_task = loop.create_task(ask(max(WATCHDOG_MIN, WATCHDOG * self.round_trip), True))

        if rerunning:
            self.asked = self.asked_at = now
            self.watchdog_task = loop.create_task(ask(max(WATCHDOG_MIN, WATCHDOG * self.round_trip), True))
        else:
            self.tick_task = loop.create_task(
                ask(max(0.0, self.asked_at + data["tick_ms"] / 1000 - now), True)
            )

    def set_timer(self, fragment_id, interval):
        current = self.timers.get(fragment_id)
        if current and current[0] == interval:
            return
        self.cancel_timers([fragment_id])
        self.timers[fragment_id] = (interval, asyncio.create_task(self.tick_every(fragment_id, interval)))

    def cancel_timers(self, fragment_ids=None):
        for fid in list(self.timers if fragment_ids is None else fragment_ids):
            entry = self.timers.pop(fid, None)
            if entry:
                entry[1].cancel()

    def stop(self):
        """Cancel every timer and the pending tick request (the page closes)."""
        self.cancel_timers()
        for task in (self.tick_task, self.watchdog_task):
            if task:
                task.cancel()
