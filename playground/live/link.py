"""The Playground's link: the config and classroom settings in the page URL, read once per session
and written back on every run, so the address bar is always a shareable link.

An uploaded dataset never travels in a link (uploads are never shared): ``with_upload`` fits a
config that names one to this session's upload, or falls back to the default dataset.
"""

import dataclasses
import urllib.parse

import streamlit as st

from playground.core import classroom, session
from playground.core.config import FIELDS, UPLOAD, Config, from_query, to_query


def url_config():
    """The config the Playground starts from: its link's (read once per session), or a setup another
    page opened. Returns (config, notices)."""
    if session.link_config() is None:
        params = st.query_params.to_dict()
        config, notices = from_query(params, other_keys=classroom.QUERY_KEYS)
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


def write_url(config):
    """Keep the URL equal to the config and the classroom settings."""
    query = to_query(config) | classroom.to_query(current_classroom())
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def share_link(config):
    """The full link to this configuration (the page's address with the config's parameters)."""
    parts = urllib.parse.urlsplit(st.context.url or "")
    query = to_query(config) | classroom.to_query(current_classroom())
    page = parts._replace(path=parts.path or "/", query=urllib.parse.urlencode(query, safe=","), fragment="")
    return urllib.parse.urlunsplit(page)


def with_upload(config):
    """``config`` fitted to this session's upload: the upload's kind of problem and classes; or,
    without an upload (a link from another session), the default dataset. Returns (config, notices)."""
    if config.dataset != UPLOAD:
        return config, []
    upload = session.upload()
    if upload is None:
        note = "This link uses data uploaded in another session (uploads are never shared): using Circles."
        return dataclasses.replace(config, dataset=Config().dataset), [note]
    n_classes = min(max(upload.n_classes, 2), FIELDS["n_classes"].high)
    return dataclasses.replace(config, upload_task=upload.task, n_classes=n_classes), []
