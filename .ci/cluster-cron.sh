#!/usr/bin/env bash
# The cron of `make cluster`: the README's cron lines in one loop, a minute apart (a production
# machine uses crontab; the times differ, the commands do not).
set -u
cd "$(dirname "$0")/.."
manage() { .venv/bin/python manage.py "$@" || echo "cron: manage.py $* failed"; }
minute=0
while true; do
    manage send_newsletter --due           # scheduled issues, and a send whose worker died
    manage requeue_stalled_tasks           # tasks a killed worker left running
    if ((minute % 60 == 0)); then
        manage notifications_housekeeping
        manage donations_housekeeping
    fi
    if ((minute % 1440 == 0)); then
        manage newsletter_housekeeping
        manage forget_old_ip_addresses
    fi
    minute=$((minute + 1))
    sleep 60
done
