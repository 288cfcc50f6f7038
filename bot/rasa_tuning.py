"""The project's per-message savings inside Rasa, installed by bot/rasa_main.py
(``python -m bot.rasa_main run ...``, how the launcher, the cluster and the
Kubernetes description start Rasa) before Rasa's command line runs.

What it changes, and why (measured with py-spy under bench/ load; see
bench/README.md, "Where the time goes"): Rasa 3.6 checks every custom action's
response against its JSON schema with ``jsonschema.validate(result, schema)``,
which first validates the *schema itself* against the JSON-Schema meta-schema
and builds a new validator, every call: 30% of the Rasa process's CPU for our
bot, which calls an action for every message. Here the validator is built and
the schema checked once; each response is still validated against the same
schema (same draft, same "best match" error) and a bad response still fails
the same way (tests/test_tracker_store.py).
"""

from __future__ import annotations

import functools
from typing import Any


@functools.lru_cache(maxsize=1)
def _action_response_validator():
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the validator built once."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_action_response_validator().iter_errors(result))
    if error is None:
        return True
    if isinstance(error, ValidationError):
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
    raise error


def apply() -> None:
    """Install the savings into the loaded Rasa (idempotent)."""
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
