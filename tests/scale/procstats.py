"""CPU seconds and peak memory of a process and its descendants, from /proc."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(int(entry.name))
        if fields:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def usage(root: int) -> tuple[float, float]:
    """(CPU seconds used so far, sum of peak resident MB) of ``root`` and its descendants
    (shared memory, PostgreSQL's buffers say, counts once per process)."""
    cpu, peak_kb = 0.0, 0
    for pid in descendants(root):
        fields = _stat(pid)
        if not fields:
            continue
        # utime, stime, and cutime, cstime: what its exited children used (a
        # PostgreSQL backend's or a server worker's CPU once it is gone).
        cpu += sum(int(value) for value in fields[11:15]) / TICKS
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak_kb += int(line.split()[1])
    return cpu, peak_kb / 1024
