"""Errors of the citizen flow.

FlowError                   base
└── StepError               a method was called at a step where it makes no sense: a bug in
                            a screen (logged with its traceback; the session ends on the
                            generic error screen)

Known, user-facing failures (an expired card, a full disk, the printer out of paper) are
not exceptions here: they are states the screens show, with zh/en messages.
"""

from __future__ import annotations


class FlowError(Exception):
    pass


class StepError(FlowError):
    def __init__(self, action: str, step: str) -> None:
        super().__init__(f"{action} is not possible at step {step}")
        self.action, self.step = action, step
