"""Password hashing (argon2id, cost from `Settings`) and the rules a new password must meet.

Rules: at least `password_min_length` characters (Chinese characters count one each) and at most
256; at least two kinds of characters among lower case, upper case, digits and others (punctuation,
Chinese); not the user name inside it; not one repeated character; and not guessable: zxcvbn (the
password-strength estimator with its lists of common passwords, words and names, keyboard patterns,
dates and l33t substitutions) must estimate at least 10^8 guesses (its score 3), so ``Password1!``
or ``P@ssw0rd2024`` are refused with a Chinese reason and what to do instead.  zxcvbn reads the first
72 characters only (its cost grows with length), so longer passwords are judged by their start.

Every hash and check takes one of `login_concurrent_checks` slots per process, waiting at most
`login_check_wait_ms` for one: a flood of sign-ins cannot put more argon2 work on the machine than
that, and the attempt beyond is answered 429 at once instead of queueing.  One more slot is kept
for browsers known to the account they sign in to (`devices`), so a flood of strangers cannot
keep their owners out by taking every check.  The hashing itself runs
on threads of its own at a lower CPU priority (Linux: nice +10 per thread; the argon2 lanes it
starts inherit it), so while it runs the signed-in users' requests still get the processor first.  One-time passwords are
drawn from letters and digits that cannot be mistaken for others.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from eduplan.config import Settings
from eduplan.services.errors import Busy, Invalid

MAX_LENGTH = 256
COMMON = frozenset(
    {
        "password",
        "password1",
        "password123",
        "12345678",
        "123456789",
        "1234567890",
        "qwertyuiop",
        "1qaz2wsx",
        "qwerty123",
        "abc123456",
        "a123456789",
        "admin123",
        "admin12345",
        "iloveyou",
        "11111111",
        "88888888",
        "66666666",
        "woaini1314",
        "passw0rd",
        "p@ssw0rd",
        "abcd1234",
    }
)
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MIN_SCORE = 3
"""zxcvbn's score: 3 means at least 10^8 guesses."""
_ZXCVBN_LENGTH = 72
_WARNINGS = {
    "Straight rows of keys are easy to guess.": "键盘上连续的一排按键很容易被猜到",
    "Short keyboard patterns are easy to guess.": "简短的键盘图案很容易被猜到",
    'Repeats like "aaa" are easy to guess.': "“aaa”这样的重复很容易被猜到",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': "“abcabc”这样的重复很容易被猜到",
    'Sequences like "abc" or "6543" are easy to guess.': "“abc”“6543”这样的序列很容易被猜到",
    "Recent years are easy to guess.": "近年的年份很容易被猜到",
    "Dates are often easy to guess.": "日期很容易被猜到",
    "This is a top-10 common password.": "这是最常见的十个密码之一",
    "This is a top-100 common password.": "这是最常见的一百个密码之一",
    "This is a very common password.": "这是非常常见的密码",
    "This is similar to a commonly used password.": "与常见密码过于相似（大小写、数字或符号替换并不能让它变安全）",
    "A word by itself is easy to guess.": "单个单词很容易被猜到",
    "Names and surnames by themselves are easy to guess.": "单独的姓名很容易被猜到",
    "Common names and surnames are easy to guess.": "常见姓名很容易被猜到",
}
_ADVICE = "请改用更长、不常见的密码，例如三四个不相关的词或短语加上数字"


@cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hasher(settings: Settings) -> PasswordHasher:
    """The argon2id hasher of the configured cost."""
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


LOWER_PRIORITY = 10


@cache
def _slots(bound: int, known: bool = False) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(1 if known else bound)


def _lower_priority() -> None:
    # on Linux a thread's nice value is its own, and threads it starts inherit it; elsewhere the
    # checks run at normal priority
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWER_PRIORITY)


@cache
def _workers(bound: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(bound, thread_name_prefix="argon2", initializer=_lower_priority)


@contextmanager
def check_slot(settings: Settings, known: bool = False) -> Iterator[None]:
    """One of the process's `login_concurrent_checks` argon2 slots; `Busy` (429) when none frees up
    within `login_check_wait_ms`."""
    slots = _slots(settings.login_concurrent_checks, known)
    if not slots.acquire(timeout=settings.login_check_wait_ms / 1000):
        raise Busy("同时登录的人过多，服务器正忙，请过几秒再试", 2)
    try:
        yield
    finally:
        slots.release()


def _verify(settings: Settings, password_hash: str, password: str) -> bool:
    try:
        return hasher(settings).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@contextmanager
def password_check(settings: Settings, known: bool = False) -> Iterator[Callable[[str, str], bool]]:
    """A check slot held (`Throttled` when none is free): yields ``verify(hash, password)``, which
    runs on the low-priority workers; a malformed hash is a mismatch, never an error."""
    with check_slot(settings, known):
        workers = _workers(settings.login_concurrent_checks + 1)
        yield lambda password_hash, password: workers.submit(
            _verify, settings, password_hash, password
        ).result()


def hash_password(settings: Settings, password: str) -> str:
    with check_slot(settings):
        return _workers(settings.login_concurrent_checks + 1).submit(hasher(settings).hash, password).result()


def _guessable(password: str, username: str) -> str | None:
    """Why zxcvbn finds the password guessable (in Chinese), or None."""
    result = zxcvbn(password[:_ZXCVBN_LENGTH], user_inputs=[username], max_length=_ZXCVBN_LENGTH)
    if result["score"] >= MIN_SCORE:
        return None
    warning = _WARNINGS.get(result["feedback"]["warning"], "")
    return f"密码太容易被猜到（{warning}）；{_ADVICE}" if warning else f"密码太容易被猜到；{_ADVICE}"


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
    if not problems and (guessable := _guessable(password, username)):
        problems.append(guessable)
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
