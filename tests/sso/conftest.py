"""Real identity servers for the 统一身份认证 tests, started by the tests themselves.

- `slapd`: OpenLDAP (Debian ``slapd`` + ``ldap-utils``) in a temporary directory on a free port,
  suffix ``dc=eduplan,dc=test``, a service account, people and groups loaded with ``ldapadd``.
- `oidc_provider`: ``oidc-provider`` from npm (OpenID Certified) on the machine's Node.js, run by
  ``oidc_provider/provider.mjs`` with a static client and users.  Its packages are installed with
  ``npm ci`` (the committed package-lock.json) into a folder outside the repository —
  ``$EDUPLAN_TEST_NODE_DIR`` or ``~/.cache/eduplan-tests/oidc-provider`` — which ``.ci/run`` fills
  beforehand; a fixture runs ``npm ci`` itself when the folder is missing.

Each skips with the reason when its server cannot be had (no slapd, no node, npm unreachable).
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.samples.cluster import free_port
from eduplan.services.registry.orgs import ensure_org
from eduplan.services.registry.units import unit_kind

HERE = Path(__file__).parent
SUFFIX = "dc=eduplan,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
SERVICE_DN = f"cn=eduplan-svc,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "svc-Secret-42"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ORG = "示例市"
UNIT = "基础教育科"
CLIENT_ID = "eduplan-test"
CLIENT_SECRET = "eduplan-test-secret-0123456789abcdef"
CALLBACK = "http://testserver/login/oidc/callback"
PASSWORDS = {"zhangsan": "Zhang-San-pw1", "lisi": "Li-Si-pw22", "wangwu": "Wang-Wu-pw333"}


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port} after {seconds} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def placed(sessions: SessionFactory) -> tuple[int, int]:
    """The organisation 示例市 and its unit 基础教育科 (ids), where directory people are placed."""
    with sessions.begin() as session:
        org = ensure_org(session, ORG)
        unit = Unit(org_id=org.id, name=UNIT, kind=unit_kind(UNIT))
        session.add(unit)
        session.flush()
        return org.id, unit.id


# --- OpenLDAP ---------------------------------------------------------------------------------

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {dir}/slapd.pid
database mdb
maxsize 16777216
suffix "{suffix}"
rootdn "{root}"
rootpw root-Secret-1
directory {dir}/db
access to attrs=userPassword by anonymous auth by self write by * none
access to * by users read by * none
"""


def _person(uid: str, name: str, mail: str, extra: str = "") -> str:
    return (
        f"dn: uid={uid},{PEOPLE}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {name}\nsn: {name[0]}\n"
        f"displayName: {name}\nmail: {mail}\nuserPassword: {PASSWORDS[uid]}\n{extra}\n"
    )


LDIF = f"""\
dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
o: eduplan test
dc: eduplan

dn: ou=services,{SUFFIX}
objectClass: organizationalUnit
ou: services

dn: {SERVICE_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: eduplan-svc
userPassword: {SERVICE_PASSWORD}

dn: {PEOPLE}
objectClass: organizationalUnit
ou: people

dn: {GROUPS}
objectClass: organizationalUnit
ou: groups

{_person("zhangsan", "张三", "zhangsan@example.test", "o: " + ORG)}
{_person("lisi", "李四", "lisi@example.test", "o: " + ORG + chr(10) + "ou: " + UNIT)}
{_person("wangwu", "王五", "wangwu@example.test")}
dn: cn=eduplan-office,{GROUPS}
objectClass: groupOfNames
cn: eduplan-office
member: uid=zhangsan,{PEOPLE}

dn: cn=eduplan-reporters,{GROUPS}
objectClass: groupOfNames
cn: eduplan-reporters
member: uid=lisi,{PEOPLE}
"""


@dataclass(frozen=True)
class Ldap:
    url: str


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ldap]:
    binary = shutil.which("slapd") or ("/usr/sbin/slapd" if Path("/usr/sbin/slapd").exists() else None)
    if binary is None or shutil.which("ldapadd") is None:
        pytest.skip("OpenLDAP is not installed (apt-get install slapd ldap-utils; .ci/run installs it)")
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "db").mkdir()
    conf = folder / "slapd.conf"
    conf.write_text(SLAPD_CONF.format(dir=folder, suffix=SUFFIX, root=ROOT_DN))
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    # -d 0: stay in the foreground (a child of the test run) and log nothing
    log = (folder / "slapd.log").open("wb")  # a file, not a pipe nobody reads (a full pipe blocks)
    process = subprocess.Popen([binary, "-f", str(conf), "-h", url + "/", "-d", "0"], stderr=log)
    try:
        wait_for_port(port, process)
        (folder / "data.ldif").write_text(LDIF, encoding="utf-8")
        subprocess.run(
            [
                "ldapadd",
                "-x",
                "-H",
                url,
                "-D",
                ROOT_DN,
                "-w",
                "root-Secret-1",
                "-f",
                str(folder / "data.ldif"),
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        yield Ldap(url)
    finally:
        stop(process)
        log.close()


# --- oidc-provider ----------------------------------------------------------------------------

OIDC_USERS = {
    "zhaoliu": {
        "password": "Zhao-Liu-pw1",
        "claims": {
            "preferred_username": "zhaoliu",
            "name": "赵六",
            "email": "zhaoliu@example.test",
            "roles": ["eduplan-office"],
            "org": ORG,
        },
    },
    "sunqi": {
        "password": "Sun-Qi-pw22",
        "claims": {
            "preferred_username": "sunqi",
            "name": "孙七",
            "email": "sunqi@example.test",
            "roles": ["eduplan-reporters"],
            "org": ORG,
            "unit": UNIT,
        },
    },
    "stopped": {
        "password": "Stopped-pw333",
        "claims": {"preferred_username": "stopped", "name": "周八", "roles": ["eduplan-office"], "org": ORG},
    },
}


@dataclass(frozen=True)
class Oidc:
    issuer: str


def _node_folder() -> Path:
    configured = os.environ.get("EDUPLAN_TEST_NODE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "eduplan-tests" / "oidc-provider"


def _install(folder: Path) -> str | None:
    """Install oidc-provider by the committed lock file into `folder`; why not, or None."""
    lock = HERE / "oidc_provider" / "package-lock.json"
    ready = (folder / "node_modules" / "oidc-provider").is_dir() and (folder / "package-lock.json").exists()
    if ready and filecmp.cmp(lock, folder / "package-lock.json", shallow=False):
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed (apt-get install nodejs npm; .ci/run installs oidc-provider)"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(HERE / "oidc_provider" / name, folder / name)
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=folder, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        return f"npm ci of oidc-provider failed in {folder}: {done.stderr.strip()[-300:]}"
    return None


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oidc]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (apt-get install nodejs npm; .ci/run installs it)")
    folder = _node_folder()
    why = _install(folder)
    if why is not None:
        pytest.skip(why)
    shutil.copyfile(
        HERE / "oidc_provider" / "provider.mjs", folder / "provider.mjs"
    )  # resolves its packages there
    config = tmp_path_factory.mktemp("oidc") / "provider.json"
    client = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [CALLBACK],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
    }
    config.write_text(json.dumps({"clients": [client], "users": OIDC_USERS}), encoding="utf-8")
    port = free_port()
    log = (config.parent / "provider.log").open("wb")
    process = subprocess.Popen(
        [node, str(folder / "provider.mjs"), str(port), str(config)],
        cwd=folder,
        stdout=log,
        stderr=log,
    )
    try:
        wait_for_port(port, process)
        yield Oidc(f"http://127.0.0.1:{port}")
    finally:
        stop(process)
        log.close()
