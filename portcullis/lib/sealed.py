"""Secrets the platform must keep to use later (an SMTP relay's password), sealed at rest.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under a key derived from
`SECRET_KEY` with HKDF, so a copy of the database alone does not give the secret away. A value
sealed under a key in `SECRET_KEY_FALLBACKS` still opens, so rotating the key keeps secrets
until they are saved again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SealError(ValueError):
    pass


def _fernet(secret: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"portcullis sealed secret"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(s) for s in secrets])


def seal(value: str) -> bytes:
    return _keys().encrypt(value.encode())


def unseal(sealed: bytes) -> str:
    try:
        return _keys().decrypt(bytes(sealed)).decode()
    except InvalidToken as exc:
        raise SealError("A sealed secret no longer opens (was SECRET_KEY changed?)") from exc
