"""Start servers in subprocesses (pinned to their own CPU when there is one) and wait for them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NUDGE = Path(sys.executable).with_name("nudge")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_cpu() -> int | None:
    """The CPU servers run on: another one than the load generator's, when there are two."""
    try:
        cpus = sorted(os.sched_getaffinity(0) | set(range(os.cpu_count() or 1)))
    except AttributeError:
        return None
    return cpus[0] if len(cpus) > 1 else None


@dataclass
class Spawned:
    process: subprocess.Popen[bytes]
    url: str
    started: float
    ready_after_s: float

    def rss_mib(self) -> float:
        """Resident memory of the process now, in MiB (Linux /proc)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far (Linux /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def spawn(
    argv: list[str], env: dict[str, str], port: int, ready_path: str, timeout: float = 60
) -> Spawned:
    """Run `argv` and poll http://127.0.0.1:port/ready_path every 10 ms until it answers 200."""
    cpu = server_cpu()
    preexec = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=preexec,
    )
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{argv[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + ready_path, timeout=1) as response:
                if response.status == 200:
                    return Spawned(process, url, started, time.perf_counter() - started)
        except OSError:
            pass
        time.sleep(0.01)
    process.kill()
    raise RuntimeError(f"{argv[0]} was not ready within {timeout} s")


def nudge_env(port: int, **extra: str) -> dict[str, str]:
    """Environment for `nudge serve` on loopback; logs at INFO (an access line per request) as
    in production, written to /dev/null."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NUDGE_", "SLACK_", "MICROSOFT_"))
    }
    env.update(
        PORT=str(port),
        NUDGE_HOST="127.0.0.1",
        NUDGE_POLICY_DIR=str(ROOT / "policies"),
        NUDGE_TEMPLATE_DIR=str(ROOT / "templates"),
        NUDGE_LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env
