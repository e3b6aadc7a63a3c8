"""Legacy Word/WPS (.doc, .wps), RTF and OpenDocument (.odt) through headless LibreOffice to .docx.

The converted .docx is read by the docx reader, so Word's automatic numbering survives (LibreOffice
keeps lists as lists).  Each conversion runs `soffice` in a temporary folder of its own, with a fresh
profile (parallel runs with one profile collide) in which macros are disabled outright, under a wall
time limit (the whole process group is killed when it passes), with a cap on the size of any file it
writes (``prlimit --fsize`` where util-linux has it, and the output is checked afterwards), and never
more than `MAX_PARALLEL` at once in this process.  The folder is removed whatever happens.

Needs Debian's ``libreoffice-writer-nogui`` (``soffice`` on PATH, or ``EDUPLAN_SOFFICE``); without
it the error says what to install.  A cold start costs one to a few seconds per file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from eduplan.readers.errors import ReadError
from eduplan.readers.limits import MAX_BYTES, megabytes
from eduplan.readers.zipsafe import open_zip, refuse_xml_declarations

Source = Literal["doc", "rtf", "odt"]

INSTALL_HINT = "apt-get install libreoffice-writer-nogui"
TIMEOUT_SECONDS = 120.0
"""Wall time one conversion may take, LibreOffice's start included."""
MAX_OUTPUT = 2 * MAX_BYTES
"""Largest file a conversion may write (pictures are re-encoded, so allow more than the input)."""
MAX_PARALLEL = 2
"""Conversions running at once in this process; more wait (up to `TIMEOUT_SECONDS`) for a slot."""

_SLOTS = threading.BoundedSemaphore(MAX_PARALLEL)
_SUFFIX: dict[Source, str] = {"doc": ".doc", "rtf": ".rtf", "odt": ".odt"}
_KIND: dict[Source, str] = {"doc": "Word/WPS 文档", "rtf": "RTF 文档", "odt": "OpenDocument 文档"}
_DOCX_FILTER = "docx:MS Word 2007 XML"
# Written into each fresh profile before LibreOffice starts: macro security "very high" and macro
# execution switched off, so a document's event macros cannot run during the conversion.
_NO_MACROS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel"
 oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution"
 oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse">
<value>false</value></prop></item>
</oor:items>
"""


def soffice_path() -> str | None:
    """The LibreOffice executable (``EDUPLAN_SOFFICE`` or ``soffice`` on PATH), or None."""
    configured = os.environ.get("EDUPLAN_SOFFICE")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _missing(kind: str) -> ReadError:
    return ReadError(
        f"读取{kind}需要 LibreOffice，本机未安装；请安装（Debian/Ubuntu：{INSTALL_HINT}）"
        "，或用 Word/WPS 另存为 .docx 后再导入",
        "converter",
    )


def _command(soffice: str, profile: Path, target: str, outdir: Path, infilter: str | None) -> list[str]:
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nodefault",
        "--nofirststartwizard",
        "--nolockcheck",
        "--nologo",
        "--norestore",
    ]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", target, "--outdir", str(outdir)]
    limiter = shutil.which("prlimit")
    return [limiter, f"--fsize={MAX_OUTPUT}", "--", *cmd] if limiter else cmd


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def run_soffice(
    inputs: Sequence[Path],
    target: str,
    outdir: Path,
    *,
    infilter: str | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> None:
    """Convert `inputs` into `outdir` (`target` as for ``--convert-to``) in one LibreOffice run.

    A fresh profile with macros disabled (and LibreOffice's scratch folder) is made in a temporary
    folder and removed afterwards, whatever happens.  Raises
    ReadError when LibreOffice is missing or the run passes `timeout` (its process group is killed).
    """
    soffice = soffice_path()
    if soffice is None:
        raise _missing("该文件")
    with tempfile.TemporaryDirectory(prefix="eduplan-lo-profile-") as tmp:
        profile = Path(tmp)
        (profile / "user").mkdir()
        (profile / "user" / "registrymodifications.xcu").write_text(_NO_MACROS, encoding="utf-8")
        scratch = profile / "tmp"  # LibreOffice's own lu*.tmp files, left behind when it is killed
        scratch.mkdir()
        env = {**os.environ, "HOME": tmp, "TMPDIR": str(scratch), "SAL_USE_VCLPLUGIN": "svp"}
        cmd = [*_command(soffice, profile, target, outdir, infilter), *map(str, inputs)]
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=tmp,
            start_new_session=True,  # its own process group, so soffice.bin dies with it
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ReadError(
                f"LibreOffice 转换超时（超过 {timeout:.0f} 秒），文件可能过大或已损坏；"
                "请用 Word/WPS 另存为 .docx 后再导入",
                "timeout",
            ) from None
        finally:
            if proc.poll() is None:
                _kill_group(proc)


def to_docx(data: bytes, source: Source) -> bytes:
    """The bytes of `data` (a .doc/.wps, .rtf or .odt) converted by LibreOffice to a .docx."""
    kind = _KIND[source]
    if soffice_path() is None:
        raise _missing(kind)
    if not _SLOTS.acquire(timeout=TIMEOUT_SECONDS):
        raise ReadError("正在转换的文件过多，请稍后再试", "timeout")
    try:
        with tempfile.TemporaryDirectory(prefix="eduplan-convert-") as tmp:
            work = Path(tmp)
            src = work / f"input{_SUFFIX[source]}"
            src.write_bytes(data)
            out = work / "out"
            out.mkdir()
            run_soffice([src], _DOCX_FILTER, out)
            result = out / "input.docx"
            if not result.is_file():
                raise ReadError(
                    f"LibreOffice 无法打开这个文件（{kind}，可能已损坏、加密或并非该格式）；"
                    "请用 Word/WPS 打开后另存为 .docx 再导入",
                    "corrupt",
                )
            size = result.stat().st_size
            if size >= MAX_OUTPUT:  # prlimit stops the writer at the limit
                raise ReadError(
                    f"{kind}转换后过大（{megabytes(size)}，上限 {megabytes(MAX_OUTPUT)}），"
                    "请删去图片或拆分后再导入",
                    "too_large",
                )
            return result.read_bytes()
    finally:
        _SLOTS.release()


def read_converted(data: bytes, source: Source) -> list[str]:
    """Raw lines of a .doc/.wps, .rtf or .odt file, read through its .docx conversion."""
    from eduplan.readers.docx import read_docx

    if source == "odt":  # a zip: refuse bombs, macros and entity declarations before LibreOffice opens it
        with open_zip(data, _KIND["odt"]) as zf:
            if any(name.startswith(("Basic/", "Scripts/")) for name in zf.namelist()):
                raise ReadError(
                    "这份 OpenDocument 文档含有宏，为安全起见不予读取；请删除宏或另存为 .docx 后再导入",
                    "unsafe",
                )
            refuse_xml_declarations(zf, _KIND["odt"])
    return read_docx(to_docx(data, source))
