"""`ledger.record(actor=..., action="noun.verb", target=...)`: the one way to record a change."""

from typing import Any


def record(**kwargs: Any) -> Any:
    # Imported lazily: `from portcullis import ledger` must work before the apps are loaded.
    from .services import record as _record

    return _record(**kwargs)
