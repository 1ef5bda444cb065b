"""gunicorn's settings for `make serve` and the app servers of `make cluster`.

    gunicorn -c site_config/gunicorn.py site_config.wsgi --bind 127.0.0.1:8000

One line per request on stdout, with its time in milliseconds and the address the proxy
forwarded for, beside the peer's:

    [26/Nov/2026:21:40:03 +0000] 127.0.0.1 for=203.0.113.9 "GET /healthz HTTP/1.0" 200 63 2ms
"""

import os

workers = int(os.environ.get("WORKERS") or 3)
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s %(h)s for=%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms'
# The proxy keeps connections to the app servers open (nginx's upstream keepalive).
keepalive = 30
control_socket_disable = True
