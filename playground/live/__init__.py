"""The Playground page's live loop: the sidebar controls, the session's training state, the tick
(train, snapshot), the frames the browser plays, the live component and the page's panels.

May import ``playground.core`` and ``playground.figures``; no other feature.
"""
