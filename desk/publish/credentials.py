"""Access keys and tokens, from the OS keychain (``keyring``) or the environment.

Never from the database, the settings file or a log. The environment
(``DESK_<NAME>_ACCESS_KEY`` / ``DESK_<NAME>_SECRET_KEY`` / ``DESK_<NAME>_TOKEN``)
is for CI and headless machines, where no keychain runs; a keychain entry wins
when both exist, so a stray variable cannot silently replace a stored key.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass

SERVICE = "desk"
FIELDS = ("access_key", "secret_key", "token")


class CredentialsError(Exception):
    """No usable credentials; the message says how to provide them."""


@dataclass(frozen=True, repr=False)
class Credentials:
    access_key: str = ""
    secret_key: str = ""
    token: str = ""

    def __repr__(self) -> str:  # never print a secret by accident
        return "Credentials(<hidden>)"


def env_name(destination: str, field: str) -> str:
    return f"DESK_{re.sub(r'[^A-Za-z0-9]', '_', destination).upper()}_{field.upper()}"


def _keyring_get(destination: str, field: str) -> str | None:
    """The stored value, or None when there is none or no keychain backend at all."""
    try:
        import keyring
        from keyring.errors import KeyringError

        return keyring.get_password(SERVICE, f"{destination}:{field}")
    except (KeyringError, RuntimeError):
        return None


def store_credentials(destination: str, creds: Credentials) -> None:
    """Save in the OS keychain; a clear error where this machine has none."""
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    try:
        for field in FIELDS:
            value = getattr(creds, field)
            if value:
                keyring.set_password(SERVICE, f"{destination}:{field}", value)
    except NoKeyringError:
        raise CredentialsError(
            "this machine has no OS keychain Desk can use; set "
            f"{env_name(destination, 'access_key')} and {env_name(destination, 'secret_key')} "
            "(or ..._TOKEN) in the environment instead"
        ) from None
    except KeyringError as exc:
        raise CredentialsError(f"the keychain refused to store the key: {exc}") from None


def forget_credentials(destination: str) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        for field in FIELDS:
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(SERVICE, f"{destination}:{field}")
    except (KeyringError, RuntimeError):
        pass


def load_credentials(destination: str, kind: str) -> Credentials:
    """Keys for an S3 destination, an optional token for Kubo."""
    values = {}
    for field in FIELDS:
        values[field] = _keyring_get(destination, field) or os.environ.get(
            env_name(destination, field), ""
        )
    creds = Credentials(**values)
    if kind in ("s3", "s3-car") and not (creds.access_key and creds.secret_key):
        raise CredentialsError(
            f"no access key for {destination!r}: run `desk destinations login {destination}` "
            f"(kept in the OS keychain) or set {env_name(destination, 'access_key')} and "
            f"{env_name(destination, 'secret_key')}"
        )
    return creds
