"""Password hashing (argon2id, cost from `Settings`) and the rules a new password must meet.

Rules: at least `password_min_length` characters (Chinese characters count one each) and at most
256; at least two kinds of characters among lower case, upper case, digits and others (punctuation,
Chinese); not the user name inside it; not one of the most common passwords; not one repeated
character.  One-time passwords are drawn from letters and digits that cannot be mistaken for others.
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from eduplan.config import Settings
from eduplan.services.errors import Invalid

MAX_LENGTH = 256
COMMON = frozenset(
    {
        "password", "password1", "password123", "12345678", "123456789", "1234567890", "qwertyuiop",
        "1qaz2wsx", "qwerty123", "abc123456", "a123456789", "admin123", "admin12345", "iloveyou",
        "11111111", "88888888", "66666666", "woaini1314", "passw0rd", "p@ssw0rd", "abcd1234",
    }
)  # fmt: skip
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hasher(settings: Settings) -> PasswordHasher:
    """The argon2id hasher of the configured cost."""
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


def hash_password(settings: Settings, password: str) -> str:
    return hasher(settings).hash(password)


def verify_password(settings: Settings, password_hash: str, password: str) -> bool:
    """Whether `password` matches; a malformed hash is a mismatch, never an error."""
    try:
        return hasher(settings).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password: str, username: str, min_length: int) -> list[str]:
    """What is wrong with a new password (empty when it is acceptable)."""
    problems: list[str] = []
    if len(password) < min_length:
        problems.append(f"密码至少 {min_length} 个字符")
    if len(password) > MAX_LENGTH:
        problems.append(f"密码不能超过 {MAX_LENGTH} 个字符")
    kinds = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isascii() or not c.isalnum() for c in password),
    ]
    if sum(kinds) < 2:
        problems.append("密码须包含至少两类字符（小写字母、大写字母、数字、其他符号或汉字）")
    if len(username) >= 3 and username.lower() in password.lower():
        problems.append("密码不能包含用户名")
    if password.lower() in COMMON:
        problems.append("密码过于常见")
    if password and len(set(password)) == 1:
        problems.append("密码不能由同一个字符重复组成")
    return problems


def check_password(password: str, username: str, settings: Settings) -> None:
    """Raise `Invalid` with every reason when the password breaks a rule."""
    problems = password_problems(password, username, settings.password_min_length)
    if problems:
        raise Invalid("密码不符合要求：" + "；".join(problems), problems)


def one_time_password(length: int = 16) -> str:
    """A random password meeting the rules (upper, lower and a digit), for first sign-in."""
    while True:
        candidate = "".join(secrets.choice(_OTP_ALPHABET) for _ in range(length))
        kinds = (str.isdigit, str.isupper, str.islower)
        if all(any(kind(c) for c in candidate) for kind in kinds):
            return candidate
