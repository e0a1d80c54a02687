"""gunicorn settings for Clientfolio behind nginx (``gunicorn -c deploy/gunicorn.conf.py
clientfolio.wsgi``; clientfolio-web.service does). Each can be changed by an environment
variable of the same name in upper case with ``GUNICORN_`` in front.

Worker class: ``sync``. nginx buffers every request body and every response
(deploy/nginx/clientfolio.conf), so a slow client or a large download never holds a
worker, and what remains is Python work on the CPU with short database queries, where
threads gain nothing under the GIL but cost a database connection each. Long work
(exports, e-mail, recomputes of big plans) runs in ``clientfolio worker``, not here.
Workers: two per core plus one, the usual count for this kind of load.
"""

import contextlib
import multiprocessing
import os
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(f"GUNICORN_{name.upper()}", default)


bind = [_env("bind", "unix:/run/clientfolio/gunicorn.sock")]
# The socket is reached by nginx's user through the group (clientfolio-web.service).
umask = int(_env("umask", "007"), 8)
worker_class = _env("worker_class", "sync")
workers = int(_env("workers", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(_env("threads", "1"))
# A request that takes longer is killed and logged; nginx waits a little longer (65 s).
timeout = int(_env("timeout", "60"))
graceful_timeout = int(_env("graceful_timeout", "30"))
keepalive = 2
# Each worker is replaced after about this many requests, bounding any slow leak.
max_requests = int(_env("max_requests", "1000"))
max_requests_jitter = int(_env("max_requests_jitter", "100"))
# Behind nginx on the same machine only; the app reads X-Forwarded-* itself
# (BEHIND_PROXY), gunicorn is told to trust the local proxy for its own log.
forwarded_allow_ips = _env("forwarded_allow_ips", "127.0.0.1,::1")
accesslog = _env("accesslog", "-")
errorlog = "-"
loglevel = _env("loglevel", "info")
# Client address (from nginx), request, status, bytes, milliseconds, request id.
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
)
proc_name = "clientfolio"
# gunicorn 24 and later open a control socket in the home folder; systemd's reload (HUP)
# is all that is needed, and the units give the service no home.
control_socket_disable = True

# Prometheus multiprocess mode (clientfolio/core/metrics.py): every worker writes its
# figures to files in this folder, and /metrics/ adds them up. systemd gives the web and
# the job worker the same runtime folder, so the worker's figures are added in too.
_runtime = os.environ.get("RUNTIME_DIRECTORY", "/run/clientfolio").split(":")[0]
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", f"{_runtime}/metrics")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_starting(server):
    """Start the metrics afresh: drop the files of processes that are gone (the job
    worker's, still running, stay)."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if not pid.isdigit() or not _alive(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
