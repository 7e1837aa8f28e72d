"""A real IMAP server for tests: Debian's dovecot, started per test in a temporary directory.

Listens on 127.0.0.1 on a free port with one passwd-file user, plaintext login (loopback only),
Maildir storage and no TLS. Installs dovecot-imapd with apt-get when it is missing and we are
root (as the Makefile does for chromium); otherwise says what to install.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .smtp import free_port

DOVECOT = "/usr/sbin/dovecot"
STARTUP_SECONDS = 20.0
TEST_PASSWORD = "imap-test-password"  # noqa: S105 - a throwaway server on loopback

CONFIG = """\
instance_name = portcullis-test-{port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 0
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    user: str
    password: str

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(self.user, self.password)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver a message the way a mail client files one: IMAP APPEND, unseen."""
        client = self.client()
        try:
            status, data = client.append(folder, None, None, raw)
            if status != "OK":
                raise RuntimeError(f"IMAP APPEND failed: {data!r}")
        finally:
            client.logout()

    def count(self, criterion: str = "ALL", folder: str = "INBOX") -> int:
        client = self.client()
        try:
            client.select(folder, readonly=True)
            _, data = client.search(None, criterion)
            return len((data[0] or b"").split())
        finally:
            client.logout()


def ensure_dovecot() -> str:
    if os.path.exists(DOVECOT):
        return DOVECOT
    if os.geteuid() != 0:
        raise RuntimeError("IMAP tests need Debian's dovecot: apt-get install dovecot-imapd")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    apt = shutil.which("apt-get") or "/usr/bin/apt-get"
    subprocess.run([apt, "update", "-qq"], check=True, env=env)  # noqa: S603
    subprocess.run(  # noqa: S603
        [apt, "install", "-y", "-qq", "--no-install-recommends", "dovecot-imapd"],
        check=True,
        env=env,
    )
    return DOVECOT


def _accounts() -> dict[str, str]:
    """Dovecot refuses to run its login process as root: as root, use the package's users."""
    if os.geteuid() == 0:
        return {
            "internal_user": "dovecot",
            "internal_group": "dovecot",
            "login_user": "dovenull",
            "mail_user": "dovecot",
            "mail_group": "dovecot",
        }
    me = pwd.getpwuid(os.geteuid())
    return {
        "internal_user": me.pw_name,
        "internal_group": str(me.pw_gid),
        "login_user": me.pw_name,
        "mail_user": str(me.pw_uid),
        "mail_group": str(me.pw_gid),
    }


@contextmanager
def imap_server(user: str = "reports", password: str = TEST_PASSWORD) -> Iterator[ImapServer]:
    binary = ensure_dovecot()
    root = Path(tempfile.mkdtemp(prefix="imap-"))
    root.chmod(0o755)  # dovecot's own users must reach the mail directory
    port = free_port()
    accounts = _accounts()
    (root / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n")
    (root / "mail").mkdir()
    if os.geteuid() == 0:
        entry = pwd.getpwnam(accounts["mail_user"])
        os.chown(root / "mail", entry.pw_uid, entry.pw_gid)
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port, **accounts))
    process = subprocess.Popen(  # noqa: S603
        [binary, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=(root / "stderr.log").open("wb"),
    )
    try:
        _wait_until_ready(process, port, root)
        yield ImapServer("127.0.0.1", port, user, password)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)


def _wait_until_ready(process: subprocess.Popen[bytes], port: int, root: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(64).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.1)
    logs = [p.read_text(errors="replace") for p in root.glob("*.log") if p.exists()]
    raise RuntimeError("dovecot did not start:\n" + "\n".join(logs))
