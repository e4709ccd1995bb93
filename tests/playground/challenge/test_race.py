"""A whole race in AppTest: the teacher creates a challenge on the Teacher page, two students train on
its link and submit, the board shows both ranked, a changed run is refused, the teacher closes it."""

import urllib.parse

import pytest

from tests.playground.live.test_page import open_app

SETUP = {"data": "xor", "points": "120", "hidden": "6", "lr": "0.1", "speed": "3"}


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Each test's own SQLite file (the default database lives in NN_PLAYGROUND_DATA)."""
    monkeypatch.setenv("NN_PLAYGROUND_DATA", str(tmp_path))


def query_of(link):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))


def create(title="Smallest XOR network"):
    """The teacher's side: lock the data, set a goal, create. Returns (students' link, board link)."""
    at = open_app(SETUP)
    at.switch_page("pages/teacher.py").run()
    at.multiselect(key="tch_lock").set_value(["dataset", "n_samples"]).run()
    at.text_input(key="tch_goal").input("test_accuracy>=0.8").run()
    next(t for t in at.text_input if t.label == "Title").input(title)
    next(b for b in at.button if b.label == "Create the challenge").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    codes = [c.value for c in at.code]
    return codes[-2], codes[-1]


def train_and_submit(link, nickname, *, hidden=None, ticks=4, submit=True):
    """A student: open the link, maybe change the (unlocked) hidden layer, Play for some ticks,
    Pause, type a nickname, Submit. Returns the page."""
    query = query_of(link) | ({"hidden": hidden} if hidden else {})
    at = open_app(query)
    box = at.button(key="chl_submit")
    assert box.disabled  # epoch 0: nothing to submit yet
    at.button(key="play").click().run()
    for _ in range(ticks):
        at.run()
    at.button(key="pause").click().run()
    at.text_input(key="chl_nickname").input(nickname).run()
    if submit:
        at.button(key="chl_submit").click().run()
    assert not at.exception, at.exception
    return at


def board_rows(board_link):
    """The board page and its rows as shown: (rank, nickname, score, caption) per entry."""
    at = open_app({})
    at.switch_page("pages/board.py")
    at.query_params.update(query_of(board_link))
    at.run()
    assert not at.exception, at.exception
    ranks = [m.value[3:] for m in at.markdown if m.value.startswith("## ")]
    names_scores = [m.value[4:] for m in at.markdown if m.value.startswith("### ")]
    captions = [c.value for c in at.caption if c.value.startswith("network ")]
    rows = list(zip(ranks, names_scores[0::2], names_scores[1::2], captions, strict=True))
    return at, rows


def test_a_whole_race():
    students, board = create()
    assert query_of(students)["lock"] == "dataset,n_samples" and "c" in query_of(students)

    ada = train_and_submit(students, "Ada")
    assert ada.success[0].value.startswith("Verified and on the board: 6 neurons, rank 1 of 1")
    bo = train_and_submit(students, "Bo", hidden="4", ticks=5)
    assert bo.success[0].value.startswith("Verified and on the board: 4 neurons, rank 1 of 2"), bo.success

    at, rows = board_rows(board)
    assert [r[:3] for r in rows] == [("1", "Bo", "4 neurons"), ("2", "Ada", "6 neurons")]
    assert rows[0][3].startswith("network 2-4-1 · ") and "★ new" in rows[0][3]
    assert [i.proto.imgs[0].url for i in at.get("image")]  # the boundaries' thumbnails

    # the teacher closes it: a new entry is refused, the board says closed
    at.button(key="chl_close").click().run()
    late = train_and_submit(students, "Cy", submit=False)
    assert late.button(key="chl_submit").disabled
    assert "This challenge is closed." in [c.value for c in late.caption]
    at, rows = board_rows(board)
    assert len(rows) == 2 and any(c.value.startswith("closed") for c in at.caption)


def test_a_run_that_changed_while_training_cannot_be_submitted():
    students, _ = create()
    at = open_app(query_of(students))
    at.button(key="play").click().run()
    for _ in range(3):
        at.run()
    at.button(key="pause").click().run()
    at.select_slider(key="cfg_learning_rate").set_value(0.3).run()
    at.text_input(key="chl_nickname").input("Dee").run()
    assert at.button(key="chl_submit").disabled
    assert any("changed while training (Learning rate at epoch" in c.value for c in at.caption)


def test_without_the_teacher_token_the_board_has_no_controls():
    _, board = create()
    query = query_of(board)
    at = open_app({})
    at.switch_page("pages/board.py")
    at.query_params.update({"c": query["c"], "t": "x" * 24})
    at.run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "chl_close"]
    assert any("not this challenge's" in w.value for w in at.warning)
