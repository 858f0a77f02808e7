"""LibreOffice (headless, `soffice` from Debian's libreoffice-calc-nogui, installed by scripts/system-deps.sh
test) for tests that need a spreadsheet saved by a real office suite, or need to see that one opens ours."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def convert(data, source_suffix, target, filter_name=""):
    """Open `data` (a file of type `source_suffix`, e.g. "ods") in LibreOffice and save it as `target`
    ("xlsx", "ods"); returns the saved bytes. Each call has its own profile, so parallel tests never share one."""
    with tempfile.TemporaryDirectory(prefix="volnet-office-") as folder:
        folder = Path(folder)
        source = folder / f"in.{source_suffix}"
        source.write_bytes(data)
        out = folder / "out"
        out.mkdir()
        profile = (folder / "profile").as_uri()
        command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to",
                   f"{target}:{filter_name}" if filter_name else target, "--outdir", str(out), str(source)]
        result = subprocess.run(command, capture_output=True, timeout=120, env={**os.environ, "HOME": str(folder)})
        produced = out / f"in.{target}"
        if not produced.exists():
            raise AssertionError(f"LibreOffice did not convert the file: {result.stdout!r} {result.stderr!r}")
        return produced.read_bytes()
