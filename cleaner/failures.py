"""The one exception every reading and cleaning stage raises for a bad input.

A stage that cannot go on with one input raises `InputFailure`; the run turns it into an
entry of `errors.jsonl` and goes on with the next input or record.
"""

from __future__ import annotations

from cleaner.model import InputError


class InputFailure(Exception):
    """An input (or one record of it) that cannot be read or cleaned.

    `stage` names where it failed (`read`, `limit`, `decode`, `html`, `clean`...), `reason`
    says why in words a user can act on.
    """

    def __init__(self, path: str, stage: str, reason: str, record: int | None = None):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.stage = stage
        self.reason = reason
        self.record = record

    def as_error(self) -> InputError:
        return InputError(self.path, self.stage, self.reason, self.record)
