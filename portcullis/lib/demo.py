"""Demo data. Each app may register loaders in its own `demo.py`; `manage.py load_demo` runs them
in order. Every loader must be idempotent: running it twice changes nothing the second time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DEMO_PASSWORD = "portcullis-demo"  # noqa: S105 - the documented demo password
# The one TOTP secret shared by the demo's MFA roles (20 bytes). Demo data only.
DEMO_TOTP_KEY_HEX = b"portcullis-demo-totp".hex()


@dataclass(frozen=True)
class Loader:
    name: str
    order: int
    func: Callable[[], str]  # returns a one-line summary


LOADERS: dict[str, Loader] = {}


def demo_loader(name: str, *, order: int = 50) -> Callable[[Callable[[], str]], Callable[[], str]]:
    def register(func: Callable[[], str]) -> Callable[[], str]:
        LOADERS[name] = Loader(name, order, func)
        return func

    return register


def demo_totp_secret() -> str:
    import base64

    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode().rstrip("=")
