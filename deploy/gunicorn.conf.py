"""gunicorn settings shared by every CampusDesk process (docs/deployment.md).

Each command line adds what differs between processes: the address (-b), the number of
workers (-w) and, for the analytics services, the threaded worker class.
"""

# Logs go to stdout (access) and stderr (errors): systemd's journal, honcho or Docker keep
# them per process.
accesslog = "-"
errorlog = "-"
# The client's address as nginx saw it, and the request id nginx passes on, in every line.
access_log_format = (
    '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" '
    "%(M)sms id=%({x-request-id}i)s pid=%(p)s"
)
# Only nginx on this machine may say that the original request was HTTPS.
forwarded_allow_ips = "127.0.0.1,::1"
# nginx waits 35 s (proxy_read_timeout); a worker stuck for 30 s is restarted first.
timeout = 30
graceful_timeout = 20
# Several gunicorn masters run on one machine: without this they would all use the same
# control socket (~/.gunicorn/gunicorn.ctl).
control_socket_disable = True
# Worker heartbeats in memory, not on a possibly slow or overlay disk (containers).
worker_tmp_dir = "/dev/shm"


# Prometheus metrics (docs/deployment.md, "Metrics"). When PROMETHEUS_MULTIPROC_DIR is set,
# every worker writes its counts to files there and /metrics adds them up. Several gunicorn
# masters share one environment file, so each one takes a folder of its own under it, named
# by the port it binds, emptied at start (counts of an earlier run would be added otherwise).
# Imports stay inside the hooks: every other name of this file is a gunicorn setting.
def on_starting(server):
    import os
    import shutil

    base = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not base:
        return
    address = server.cfg.bind[0] if server.cfg.bind else "default"
    folder = os.path.join(base, address.rsplit(":", 1)[-1].replace("/", "_"))
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    # Set before any worker is forked or imports prometheus_client.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder


def child_exit(server, worker):
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        # Drops the dead worker's live-gauge files; its counters keep counting in the sum.
        multiprocess.mark_process_dead(worker.pid)


# Request size: the apps answer header fields over CAMPUSDESK_MAX_HEADER_BYTES (8 KiB in
# all) with a 431 problem; gunicorn's own limits sit above that, so a header the apps would
# refuse reaches them instead of gunicorn's bare 400. Raise them with the variable.
limit_request_line = 8190  # gunicorn's maximum; nginx's large_client_header_buffers is 8k
limit_request_field_size = 16384  # one header line; above the apps' 8 KiB for all headers
limit_request_fields = 200  # twice gunicorn's default, far more than a browser sends


# A ticket's follow link is a secret: access lines show its route, not its token.
logger_class = "campusdesk.gunicorn_logging.FollowTokenHidingLogger"
