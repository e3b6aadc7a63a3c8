"""Save a document with an open password through LibreOffice's UNO bridge (Debian python3-uno).

Run by the tests with the system Python (the venv has no `uno`):
    /usr/bin/python3 uno_save_with_password.py SRC DST FILTER PASSWORD PROFILE_DIR
`soffice --convert-to` cannot set a password, so a headless LibreOffice is started on a private pipe,
the document loaded hidden and stored with the password, and the process group ended.
"""

import os
import signal
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name, value):  # type: ignore[no-untyped-def]
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main() -> None:
    src, dst, filter_name, password, profile = sys.argv[1:6]
    pipe = f"eduplan{os.getpid()}"
    proc = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            "--headless",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(300):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.1)
        else:
            raise SystemExit("LibreOffice did not answer on its pipe")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
        doc.storeToURL(
            uno.systemPathToFileUrl(dst), (prop("FilterName", filter_name), prop("Password", password))
        )
        doc.close(True)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


if __name__ == "__main__":
    main()
