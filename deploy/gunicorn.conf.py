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
