"""What the pages draw for a class challenge: the Playground's *Submit to the board* box, the board
(the projector view) with the teacher's controls, and the Teacher page's form that starts a race.

Session keys are prefixed ``chl_``. Nicknames and titles are the users' text: shown through widgets
that display text as typed (``st.text``, table cells), never as Markdown or HTML.
"""

import base64
import dataclasses
import re
import secrets
import time
import urllib.parse

import streamlit as st

from playground.challenge import connection, replays, rules, verify
from playground.challenge.store import StoreError
from playground.core import classroom, goals
from playground.core.config import from_query, to_query

NEW_SECONDS = 30  # an entry younger than this is marked new on the board
BOARD_REFRESH = 3.0  # seconds between the board's updates
BOARD_ROWS = 30  # entries shown on the board (a class); the CSV has them all


# --- links ----------------------------------------------------------------------------------
def app_root():
    """This app's address without a page name (the Playground is its default page)."""
    parts = urllib.parse.urlsplit(st.context.url or "")
    root = parts._replace(path=parts.path.rsplit("/", 1)[0] + "/", query="", fragment="")
    return urllib.parse.urlunsplit(root)


def student_link(challenge, challenge_id):
    room = dataclasses.replace(challenge.room(), challenge=challenge_id)
    query = to_query(challenge.config) | classroom.to_query(room)
    return app_root() + "?" + urllib.parse.urlencode(query, safe=",")


def board_link(challenge_id, teacher_token=None):
    query = {"c": challenge_id} | ({"t": teacher_token} if teacher_token else {})
    return app_root() + "board?" + urllib.parse.urlencode(query)


def run_link(config, challenge_id):
    """An entry's run, opened in the Playground (the challenge's link with that run's setup)."""
    query = to_query(config) | {"c": challenge_id}
    return app_root() + "?" + urllib.parse.urlencode(query, safe=",")


# --- the Playground: submit a run -----------------------------------------------------------
def _session_token():
    return st.session_state.setdefault("chl_session", secrets.token_urlsafe(12))


def _load(challenge_id):
    """(store, row, challenge) or (None, None, None) after saying why not."""
    try:
        store = connection.store()
        row = store.challenge(challenge_id)
    except StoreError as error:
        st.error(str(error))
        return None, None, None
    if row is None:
        st.warning("This challenge does not exist any more (closed challenges are deleted after a week).")
        return None, None, None
    return store, row, rules.Challenge.from_spec(row.spec)


def submit_box(exp, challenge_id, *, running):
    """The challenge's line on the Playground and, when the run meets the goal, its Submit button."""
    store, row, challenge = _load(challenge_id)
    if challenge is None:
        return
    with st.container(border=True, key="chl_box"):
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        with left:
            st.text(f"Challenge: {challenge.title}")
            goal = goals.parse_goal(challenge.goal)
            st.caption(f"Goal: {goal.describe()} · ranked by {challenge.ranking.label} · {_time_left(row)}")
            st.link_button("Open the board", board_link(challenge_id), icon=":material/leaderboard:")
        with right:
            nickname = st.text_input("Your nickname on the board", key="chl_nickname", max_chars=24)
            why_not = _why_not(exp, challenge, row, running, nickname)
            clicked = st.button(
                "Submit to the board",
                key="chl_submit",
                type="primary",
                disabled=bool(why_not),
                help=why_not or "The server replays your run from its link and records it if it checks out.",
            )
        if why_not:
            st.caption(why_not)
        if clicked and not why_not:
            _submit(store, challenge_id, challenge, exp, nickname)


def _why_not(exp, challenge, row, running, nickname):
    """Why the run cannot be submitted now ("" if it can)."""
    if not row.open_at(time.time()):
        return "This challenge is closed."
    if running:
        return "Pause to submit the run as it is now."
    if exp.epoch < 1:
        return "Train first: a run is submitted at the epoch it stands at."
    if exp.changed_midway:
        return (
            f"This run changed while training ({exp.changed_midway}): the board replays a run from its "
            "link alone. Press Reset and train with one setting."
        )
    if not goals.evaluate(goals.parse_goal(challenge.goal), exp).passed:
        return "The run does not meet the goal yet."
    if not nickname.strip():
        return "Type a nickname first."
    return ""


def _submit(store, challenge_id, challenge, exp, nickname):
    claimed = verify.measure(exp)[challenge.ranking.key]
    entry = rules.Entry(exp.config, exp.epoch, claimed)
    message = verify.check_budget(challenge, entry)
    if message:
        st.error(message)
        return
    try:
        store.allow_replay(challenge_id)
    except StoreError as error:
        st.error(str(error))
        return
    with st.spinner("Replaying your run on the server to check it…"):
        try:
            found = replays.replay(entry.config, entry.epochs, challenge.goal)
        except replays.ReplayTimeout as error:
            st.error(str(error))
            return
    verdict = verify.judge(challenge, entry, found)
    if not verdict.ok:
        st.error(f"Not recorded: {verdict.message}")
        return
    try:
        row = store.add_entry(
            challenge_id,
            nickname=nickname.strip(),
            link=urllib.parse.urlencode(to_query(entry.config) | {"epochs": entry.epochs}, safe=","),
            score=verdict.score,
            metrics={k: v for k, v in found.numbers.items() if v is not None},
            thumbnail=found.thumbnail,
            session=_session_token(),
        )
    except StoreError as error:
        st.error(f"Not recorded: {error}")
        return
    ranked = store.entries(challenge_id, lower_is_better=challenge.ranking.lower_is_better)
    rank = 1 + [r.id for r in ranked].index(row.id)
    score = verify.format_score(challenge, row.score)
    st.success(f"Verified and on the board: {score}, rank {rank} of {len(ranked)}.")


def _time_left(row):
    if row.closed_at is not None:
        return "closed"
    left = row.ends_at - time.time()
    return "ended" if left <= 0 else f"{int(left // 60)} min {int(left % 60)} s left"


# --- the board ------------------------------------------------------------------------------
def board(challenge_id, teacher_token):
    """The projector view: the challenge, its entries ranked (refreshed every BOARD_REFRESH s), and
    the teacher's controls when ``teacher_token`` is the challenge's."""
    store, row, challenge = _load(challenge_id)
    if challenge is None:
        return
    teacher = bool(teacher_token) and store.is_teacher(challenge_id, teacher_token)
    st.title(challenge.title, anchor=False)
    goal = goals.parse_goal(challenge.goal)
    st.markdown(f"**Goal:** {goal.describe()} · **ranked by** {challenge.ranking.label}")
    _entries(store, challenge_id, challenge)
    if teacher:
        _teacher_controls(store, challenge_id, challenge, teacher_token)
    elif teacher_token:
        st.warning("This teacher link is not this challenge's: the board is shown without its controls.")


@st.fragment(run_every=BOARD_REFRESH)
def _entries(store, challenge_id, challenge):
    row = store.challenge(challenge_id)
    if row is None:
        st.warning("This challenge was deleted.")
        return
    st.caption(f"{_time_left(row)} · updates every {BOARD_REFRESH:.0f} s")
    ranked = store.entries(challenge_id, lower_is_better=challenge.ranking.lower_is_better)
    if not ranked:
        st.info("No entries yet: the first verified run appears here.")
        return
    for entry in board_rows(ranked[:BOARD_ROWS], challenge, challenge_id, now=time.time()):
        _board_row(entry)
    if len(ranked) > BOARD_ROWS:
        st.caption(f"… and {len(ranked) - BOARD_ROWS} more (the teacher's CSV has them all).")


def _board_row(row):
    """One entry, large enough for a projector: rank, boundary, nickname (as typed, escaped), network,
    score; a new entry says so."""
    with st.container(border=True, key=f"chl_row_{row['Rank']}"):
        rank, picture, who, score = st.columns([1, 1, 5, 3], vertical_alignment="center")
        rank.markdown(f"## {row['Rank']}")
        if row["Boundary"]:
            picture.image(row["Boundary"], width=56)
        who.markdown(f"### {plain(row['Nickname'])}")
        new = " · ★ new" if row["New"] else ""
        who.caption(f"network {row['Network']} · {row['Epochs']} epochs{new} · [open the run]({row['Run']})")
        score.markdown(f"### {plain(row['Score'])}")


def plain(text):
    """``text`` with every ASCII punctuation mark backslash-escaped: Markdown shows it as typed (a
    nickname cannot become a link, an image, a heading or LaTeX)."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", str(text))


def board_rows(entries, challenge, challenge_id, *, now):
    """The board's rows, best first: rank, a star for new entries, nickname, network, score, epochs,
    the boundary's thumbnail and the run's link."""
    rows = []
    for rank, e in enumerate(entries, start=1):
        config = _entry_config(e.link)
        rows.append(
            {
                "Rank": rank,
                "New": "★" if now - e.created_at < NEW_SECONDS else "",
                "Nickname": e.nickname,
                "Network": "-".join(map(str, config.layer_sizes)) if config else "?",
                "Score": verify.format_score(challenge, e.score),
                "Epochs": int(e.metrics.get("epochs", 0)),
                "Boundary": _thumb_url(e.thumbnail),
                "Run": run_link(config, challenge_id) if config else None,
            }
        )
    return rows


def _entry_config(link):
    query = dict(urllib.parse.parse_qsl(link))
    query.pop("epochs", None)
    config, notices = from_query(query)
    return None if notices else config


def _thumb_url(png):
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else None


def _teacher_controls(store, challenge_id, challenge, token):
    st.divider()
    st.subheader("Teacher", anchor=False)
    ranked = store.entries(challenge_id, lower_is_better=challenge.ranking.lower_is_better)
    close_col, clear_col, export_col = st.columns(3, vertical_alignment="bottom")
    if close_col.button("Close the challenge", key="chl_close", icon=":material/lock:"):
        store.close(challenge_id, token)
        st.rerun()
    labels = {e.id: f"{e.nickname} ({verify.format_score(challenge, e.score)})" for e in ranked}
    picked = clear_col.selectbox("Entry", list(labels), format_func=labels.get, key="chl_pick", index=None)
    if clear_col.button("Clear this entry", key="chl_clear", disabled=picked is None):
        store.remove_entry(challenge_id, token, picked)
        st.rerun()
    export_col.download_button(
        "Export CSV",
        store.entries_csv(challenge_id, token, lower_is_better=challenge.ranking.lower_is_better),
        file_name=f"challenge-{challenge_id[:8]}.csv",
        mime="text/csv",
        key="chl_csv",
        on_click="ignore",
    )


# --- the Teacher page: start a race -----------------------------------------------------------
def create_form(config, room):
    """The Teacher page's form: the Playground's current setup with the page's locks and goal, plus a
    title, a score, a replay budget and a duration. Shows the two links once created."""
    with st.form("chl_form"):
        title = st.text_input("Title", max_chars=rules.MAX_TITLE, placeholder="Smallest network on spiral")
        score = st.selectbox("Rank by", list(rules.SCORES), format_func=lambda k: rules.SCORES[k].label)
        epochs_col, minutes_col = st.columns(2)
        most = rules.MAX_REPLAY_EPOCHS
        max_epochs = epochs_col.number_input("Longest run replayed (epochs)", 1, most, 1000)
        minutes = minutes_col.number_input("Open for (minutes)", 1, rules.MAX_MINUTES, 45)
        created = st.form_submit_button("Create the challenge", type="primary")
    if created:
        try:
            challenge = rules.Challenge(
                title=title, config=config, goal=room.goal, score=score, locked=room.locked,
                hidden=room.hidden, max_epochs=int(max_epochs), minutes=int(minutes),
            )  # fmt: skip
            store = connection.store()
            store.purge()  # challenges closed or ended a week ago go, with their entries
            ends_at = time.time() + 60 * challenge.minutes
            challenge_id, token = store.create_challenge(challenge.to_spec(), ends_at=ends_at)
        except (rules.ChallengeError, StoreError) as error:
            st.error(str(error))
            return
        st.session_state.chl_created = (challenge_id, token, student_link(challenge, challenge_id))
    made = st.session_state.get("chl_created")
    if made:
        challenge_id, token, link = made
        st.success("The challenge is open. Give the students the first link; keep the second for yourself.")
        st.text("Students' link:")
        st.code(link, language=None, wrap_lines=True)
        st.text("Your board (with the controls: close, clear an entry, export; keep it private):")
        st.code(board_link(challenge_id, token), language=None, wrap_lines=True)
        st.link_button("Open the board", board_link(challenge_id, token), icon=":material/leaderboard:")
