"""The Playground's link: the config and classroom settings in the page URL, read once per session
and written back on every run, so the address bar is always a shareable link.

An uploaded dataset never travels in a link (uploads are never shared): ``with_upload`` fits a
config that names one to this session's upload, or falls back to the default dataset.
"""

import dataclasses
import urllib.parse

import streamlit as st

from playground.core import classroom, drawn, session
from playground.core.config import DRAWN, FIELDS, UPLOAD, Config, from_query, normalize, to_query


def url_config():
    """The config the Playground starts from: its link's (read once per session), or a setup another
    page opened. Returns (config, notices)."""
    if session.link_config() is None:
        params = st.query_params.to_dict()
        config, notices = from_query(params, other_keys=(*classroom.QUERY_KEYS, "pts"))
        notices += _drawn_from_link(params.get("pts"))
        if config.dataset == DRAWN and session.drawn() is None:
            config = dataclasses.replace(config, dataset=Config().dataset)
            notices.append("The link names drawn points but holds none that can be read: using Circles.")
        room, more = classroom.from_query(params)
        session.keep_classroom(room)
        session.keep_link_config(config, notices + more)
    return session.link_config()


def current_classroom():
    """This session's classroom settings (hidden and locked controls, task, goal, lesson)."""
    return session.classroom(classroom.Classroom())


def leave_classroom():
    """Button callback: show every control again, drop the task and the goal."""
    session.keep_classroom(classroom.Classroom())


def _drawn_from_link(text):
    """Keep the link's drawn points (``pts=``) in the session; notices if they cannot be read."""
    if not text:
        return []
    try:
        session.keep_drawn(drawn.from_link(text))
    except drawn.DrawError as error:
        return [f"Ignored the drawn points in the link ({error})."]
    return []


def _query(config):
    """The URL parameters: the config, the classroom settings and, when there are few, the points
    drawn by hand."""
    query = to_query(config) | classroom.to_query(current_classroom())
    if config.dataset == DRAWN and session.drawn() is not None:
        text = drawn.to_link(session.drawn())
        if text is not None:
            query["pts"] = text
    return query


def drawn_left_out(config):
    """A note when the link cannot carry the drawn points (more than ``drawn.LINK_POINTS``), else ""."""
    points = session.drawn() if config.dataset == DRAWN else None
    if points is None or len(points) <= drawn.LINK_POINTS:
        return ""
    return (
        f"The link does not hold your {len(points)} drawn points (at most {drawn.LINK_POINTS}): the data "
        "CSV under the charts has them all."
    )


def _with_drawn(config, points):
    """``config`` fitted to the drawn ``points``: their kind of problem and classes say more than a
    link's ``utask=`` and ``classes=`` (a hand-made link may lack them). Returns (config, notices)."""
    n_classes = points.n_classes if points.task == "multiclass" else config.n_classes
    return normalize(dataclasses.replace(config, upload_task=points.task, n_classes=n_classes))


def write_url(config):
    """Keep the URL equal to the config and the classroom settings."""
    query = _query(config)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def share_link(config):
    """The full link to this configuration (the page's address with the config's parameters)."""
    parts = urllib.parse.urlsplit(st.context.url or "")
    query = _query(config)
    page = parts._replace(path=parts.path or "/", query=urllib.parse.urlencode(query, safe=","), fragment="")
    return urllib.parse.urlunsplit(page)


def with_upload(config):
    """``config`` fitted to this session's upload: the upload's kind of problem and classes; or,
    without an upload (a link from another session), the default dataset. Returns (config, notices)."""
    if config.dataset == DRAWN and session.drawn() is not None:
        return _with_drawn(config, session.drawn())
    if config.dataset != UPLOAD:
        return config, []
    upload = session.upload()
    if upload is None:
        note = "This link uses data uploaded in another session (uploads are never shared): using Circles."
        return dataclasses.replace(config, dataset=Config().dataset), [note]
    n_classes = min(max(upload.n_classes, 2), FIELDS["n_classes"].high)
    return dataclasses.replace(config, upload_task=upload.task, n_classes=n_classes), []
