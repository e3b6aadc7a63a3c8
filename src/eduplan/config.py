"""Settings of eduplan, read from the environment (``EDUPLAN_*``) by pydantic-settings.

Nothing is created at import time: `Settings()` only reads values, and `Settings.ensure_data_dir()`
makes the data directory when a command that needs it (``eduplan serve``, ``eduplan import``) runs.
The database defaults to a SQLite file ``eduplan.db`` under ``EDUPLAN_DATA_DIR`` (``./data``);
``EDUPLAN_DATABASE_URL`` selects another one, e.g. ``postgresql://user@host/eduplan``.

Access (issue 4): argon2 cost, password rules, login throttling and session lifetimes; there is no
secret to configure (sessions and API tokens are random values stored hashed).  Status colours of
tasks follow `eduplan.services.tracking.rules` with the two lag thresholds below.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB_NAME = "eduplan.db"


class Settings(BaseSettings):
    """Where the registry lives and how much an upload may weigh."""

    model_config = SettingsConfigDict(env_prefix="EDUPLAN_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Directory of the default SQLite database.")
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means sqlite:///<data_dir>/eduplan.db.",
    )
    request_threads: int = Field(
        default=4, ge=1, le=64, description="Threads running the API's database work in `eduplan serve`."
    )
    max_upload_bytes: int = Field(
        default=50 * 1024 * 1024, gt=0, description="Largest document accepted by the import endpoint."
    )
    parse_seconds: float = Field(
        default=600.0,
        gt=0,
        description="Wall-clock (and CPU) time to read and parse one uploaded document (OCR reads about "
        "15-25 pages a minute on two cores: raise it for longer scans).",
    )
    parse_memory_mb: int = Field(
        default=3072,
        ge=128,
        description="Memory (address space) of the process reading one upload (OCR's models need ~2 GB).",
    )
    parse_workers: int = Field(
        default=2, ge=1, le=64, description="Uploads read at the same time; more wait for a free slot."
    )

    argon2_time_cost: int = Field(default=3, ge=1, description="argon2id iterations.")
    argon2_memory_kib: int = Field(default=65536, ge=8, description="argon2id memory in KiB.")
    argon2_parallelism: int = Field(
        default=1,
        ge=1,
        description="argon2id lanes; 1: a check takes one core (the same memory-hardness), so a flood of "
        "checks leaves the other cores to the signed-in users.  Older hashes are redone at their next login.",
    )
    password_min_length: int = Field(default=10, ge=6, le=128, description="Shortest password accepted.")
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed logins of one account (or one known browser) within the window before it is "
        "refused for the rest of the window.",
    )
    login_address_max_failures: int = Field(
        default=10, ge=1, description="Failed logins from one client address within the window."
    )
    login_lockout_minutes: int = Field(default=15, ge=1, description="The window of those counts.")
    login_concurrent_checks: int = Field(
        default=1, ge=1, le=64, description="Password hashes/checks run at once per server process."
    )
    login_check_wait_ms: int = Field(
        default=300, ge=0, description="How long a login waits for a free check before 429."
    )
    login_refusal_delay_ms: int = Field(
        default=1000,
        ge=0,
        le=10_000,
        description="How long a refused (throttled) login waits before its 429.",
    )
    known_device_days: int = Field(
        default=180, ge=1, description="How long a browser that signed in stays known (its cookie)."
    )
    trusted_proxies: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"],
        description="Addresses (or networks) whose X-Forwarded-For/-Proto are believed; '*': any.",
    )
    session_idle_minutes: int = Field(default=120, ge=1, description="A session unused this long ends.")
    session_max_hours: int = Field(default=12, ge=1, description="A session ends this long after login.")
    cookie_secure: bool = Field(
        default=False,
        description="Always mark cookies Secure (they are anyway when the request came over HTTPS).",
    )
    timezone: str = Field(default="Asia/Shanghai", description="Where dates of deadlines and cycles fall.")
    evidence_max_bytes: int = Field(
        default=20 * 1024 * 1024, gt=0, description="Largest evidence file of a progress report."
    )
    status_amber_lag: float = Field(
        default=10.0, ge=0, description="Points behind 序时进度 at which a task turns amber."
    )
    status_red_lag: float = Field(
        default=25.0, ge=0, description="Points behind 序时进度 at which a task turns red."
    )
    sign_working_days: int = Field(
        default=2,
        ge=0,
        le=30,
        description="Working days (Mon–Fri) a unit has to sign for (签收) a task or 督办.",
    )

    smtp_host: str = Field(default="", description="SMTP server for e-mail notices; empty: no e-mail.")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_starttls: bool = Field(default=False, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_user: str = Field(default="", description="SMTP login, if the server needs one.")
    smtp_password: str = Field(
        default="", description="SMTP password (from the environment, never a default)."
    )
    smtp_from: str = Field(default="eduplan@localhost", description="Sender of e-mail notices.")
    webhook_urls: list[str] = Field(
        default_factory=list,
        description="Group robots (DingTalk, WeCom) that get the daily digest of an organisation "
        "without robots of its own (set per organisation on /admin/notify).",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Address users open eduplan at: e-mails, robot messages and calendar events link "
        "to pages under it (e.g. https://eduplan.example.gov.cn).",
    )
    delivery_max_attempts: int = Field(
        default=5, ge=1, le=50, description="Tries of one robot, webhook or e-mail delivery before it fails."
    )
    delivery_backoff_seconds: float = Field(
        default=30.0, ge=0, description="Wait before the 2nd try; doubled before each further one."
    )
    delivery_poll_seconds: float = Field(
        default=10.0, ge=0, description="How often `eduplan serve` sends queued deliveries; 0: never."
    )
    remind_days_before: int = Field(
        default=3, ge=0, le=60, description="Remind this many days before a due date."
    )
    scheduler_minutes: int = Field(
        default=60,
        ge=0,
        description="How often `eduplan serve` runs the reminders; 0: never (use `eduplan remind`).",
    )

    backup_hours: float = Field(
        default=0, ge=0, description="How often `eduplan serve` writes a backup (hours); 0: never."
    )
    backup_keep: int = Field(default=7, ge=1, description="How many scheduled backups are kept.")
    backup_dir: Path | None = Field(
        default=None, description="Folder of scheduled backups; empty: <data_dir>/backups."
    )

    # 统一身份认证 (issue 17): OIDC and LDAP sign-in beside the local passwords (`services.accounts.sso`)
    oidc_issuer: str = Field(
        default="", description="OIDC provider (issuer URL, discovery at /.well-known/…); empty: off."
    )
    oidc_client_id: str = Field(default="", description="This system's client id at the provider.")
    oidc_client_secret: str = Field(default="", description="Its client secret (from the environment).")
    oidc_scopes: str = Field(default="openid profile email", description="Scopes asked for.")
    oidc_redirect_url: str = Field(
        default="",
        description="The callback URL registered at the provider (…/login/oidc/callback); empty: from the request.",
    )
    oidc_username_claim: str = Field(
        default="preferred_username",
        description="Claim whose value is the eduplan user name (matched, or made).",
    )
    oidc_name_claim: str = Field(default="name", description="Claim of the person's name.")
    oidc_roles_claim: str = Field(
        default="roles", description="Claim listing roles or groups (sso_role_map)."
    )
    oidc_org_claim: str = Field(default="", description="Claim naming the organisation; empty: not read.")
    oidc_unit_claim: str = Field(default="", description="Claim naming the unit (单位); empty: not read.")
    oidc_timeout_seconds: float = Field(default=10.0, gt=0, description="Time for each call to the provider.")
    oidc_ca_file: str = Field(
        default="", description="CA bundle of the provider's HTTPS (empty: the usual CAs)."
    )

    ldap_url: str = Field(
        default="", description="LDAP / Active Directory server, ldap://host:389; empty: off."
    )
    ldap_start_tls: bool = Field(default=False, description="Upgrade the connection with StartTLS.")
    ldap_bind_dn: str = Field(default="", description="Service account that searches for users (DN).")
    ldap_bind_password: str = Field(default="", description="Its password (from the environment).")
    ldap_user_base: str = Field(default="", description="Where users are searched (base DN).")
    ldap_user_filter: str = Field(
        default="(uid={username})", description="Search filter; AD: (sAMAccountName={username})."
    )
    ldap_user_dn_template: str = Field(
        default="", description="Instead of a search: the user's DN, e.g. uid={username},ou=people,dc=x."
    )
    ldap_name_attributes: list[str] = Field(
        default_factory=lambda: ["displayName", "cn"], description="Attributes of the name, first found."
    )
    ldap_email_attribute: str = Field(default="mail", description="Attribute of the e-mail address.")
    ldap_group_base: str = Field(default="", description="Where groups are searched; empty: memberOf only.")
    ldap_group_filter: str = Field(
        default="(|(member={dn})(uniqueMember={dn})(memberUid={username}))",
        description="Groups of a user ({dn}, {username}).",
    )
    ldap_org_attribute: str = Field(default="", description="Attribute naming the organisation.")
    ldap_unit_attribute: str = Field(default="", description="Attribute naming the unit.")
    ldap_timeout_seconds: float = Field(default=5.0, gt=0, description="Connect and answer time.")
    ldap_ca_file: str = Field(
        default="", description="CA bundle for ldaps:// or StartTLS (certificates checked)."
    )

    sso_role_map: dict[str, str] = Field(
        default_factory=dict,
        description='Group (LDAP DN or cn) or OIDC role → eduplan role, e.g. {"edu-office": "office"}.',
    )
    sso_default_role: str = Field(
        default="", description="Role of a new account without a mapped group; empty: it is refused."
    )
    sso_default_org: str = Field(default="", description="Organisation (name) of new accounts without one.")
    sso_sync_roles: bool = Field(
        default=True,
        description="true: role, organisation and unit follow the directory at every sign-in; "
        "false: set at creation, then kept as the administrator sets them.",
    )
    sso_create_accounts: bool = Field(
        default=True, description="Create the account at first sign-in; false: only existing accounts."
    )

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / DEFAULT_DB_NAME}"
        if self.status_red_lag < self.status_amber_lag:
            raise ValueError("status_red_lag must not be below status_amber_lag")
        return self

    @property
    def is_sqlite(self) -> bool:
        """Whether the registry is the embedded SQLite file (or another SQLite database)."""
        return self.database_url.startswith("sqlite")

    def ensure_data_dir(self) -> Path:
        """Create the data directory (for the default SQLite file) and return it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir
