"""benchmarks/bench_load.py --url: the option's checks and the websocket URL it derives (the run
itself needs a deployment: see deploy/README.md)."""

import math

import pytest

from benchmarks import bench_load, load_summary  # bench_load first: it puts benchmarks/ on sys.path


@pytest.mark.parametrize(
    "argv",
    [["--url", "ftp://example.org"], ["--url", "http://127.0.0.1:8080", "--server-env", "A=1"]],
    ids=["not http", "server-env needs a server"],
)
def test_bad_url_options_are_refused(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        bench_load.main(argv)
    assert exit_.value.code == 2 and "--url" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("base", "ws"),
    [
        ("http://127.0.0.1:8080", "ws://127.0.0.1:8080"),
        ("https://school.example.org", "wss://school.example.org"),
    ],
)
def test_sessions_open_the_websocket_of_the_deployment(base, ws):
    session = bench_load.Session({"query": "data=xor"}, {}, base)
    assert session.url == f"{ws}/_stcore/stream"
    assert session.page_url == f"{base}/?data=xor"


def test_unmeasured_server_figures_become_null():
    record = {"server_cores": math.nan, "updates": 3.0}
    assert load_summary.no_nan(record) == {"server_cores": None, "updates": 3.0}
