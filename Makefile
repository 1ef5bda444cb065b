# Frame & Grain. `make help` lists the targets.
SHELL := /bin/bash
PORT ?= 8000
# Links in mail, canonical and OpenGraph URLs follow the port `make run`/`make serve` listen
# on, unless SITE_URL is set (the environment or the command line wins).
SITE_URL ?= http://127.0.0.1:$(PORT)
WORKERS ?= 3
PYTEST_ARGS ?=
RESULTS ?= var/test-results

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AXE := var/node/node_modules/axe-core/axe.min.js
export DB_INFO := from django.db import connection as c; cur = c.cursor(); cur.execute( \
	"select 'PostgreSQL ' || current_setting('server_version')" if c.vendor == "postgresql" \
	else "select 'SQLite ' || sqlite_version()"); \
	print("Database:", cur.fetchone()[0], "at", c.settings_dict["HOST"] or c.settings_dict["NAME"])
section = @printf '\n=== %s ===\n' "$(1)"

# Tests run with DEBUG off, like production, minus the HTTPS redirect, in their own var/:
# tests/settings.py gives those defaults (pytest uses it by itself; manage.py needs telling).
checks suite: export DJANGO_SETTINGS_MODULE := tests.settings
DEPLOY_ENV := DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=1 DJANGO_ALLOWED_HOSTS=example.org \
	EMAIL_URL=smtp://localhost:25 DJANGO_VAR_DIR=$(CURDIR)/var/test \
	SITE_URL=https://example.org NEWSLETTER_WEBHOOK_SECRET=deploy-check-only \
	DONATIONS_PROVIDER=stripe STRIPE_SECRET_KEY=sk_test_deploy_check STRIPE_WEBHOOK_SECRET=whsec_deploy_check
RUN_ENV := DJANGO_DEBUG=1 SITE_URL='$(SITE_URL)'
SERVE_ENV := DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL='$(SITE_URL)' \
	DJANGO_SECURE_SSL_REDIRECT=0 EMAIL_URL=file://$(CURDIR)/var/mail DONATIONS_ALLOW_DEV_PROVIDER=1 \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}"

.PHONY: help install run test serve bench bench-concurrency bench-spam bench-newsletter bench-donations bench-notifications bench-import bench-cluster cluster cluster-stop cluster-status test-cluster screenshots clean lint checks deploy-check tools suite

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

install: $(STAMP)  ## create .venv with Python 3.13 and install the project (again when pyproject.toml changes)

$(STAMP): pyproject.toml
	@if ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then \
		for py in python3.13 python3; do \
			if $$py -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then \
				echo "Creating $(VENV) with $$(command -v $$py)"; \
				rm -rf $(VENV) && $$py -m venv $(VENV) && break; \
			fi; \
		done; \
		[ -x $(PY) ] || { echo "Python 3.13 is needed: install python3.13 (e.g. pyenv install 3.13)" >&2; exit 1; }; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

run: install  ## development server on http://127.0.0.1:$(PORT) with the demo content and admin
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py ensure_demo_admin
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The two runs go side by side (one per core), each in a var/ folder of its own, each line
# marked with its database; each run's summary is repeated at the end, then what failed (the
# last lines are what a CI report shows).
test: lint checks deploy-check tools  ## everything: lint, checks, the suite on SQLite and on PostgreSQL
	@printf '\n=== Tests on SQLite and on PostgreSQL, side by side ===\n'; \
	mkdir -p var; \
	( env -u DATABASE_URL DJANGO_VAR_DIR=$(CURDIR)/var/test $(MAKE) --no-print-directory suite \
		RESULTS=var/test-results 2>&1; echo "exit $$?" ) | tee var/test-sqlite.log \
		| sed -u 's/^/sqlite   | /' & \
	( DJANGO_VAR_DIR=$(CURDIR)/var/test-pg bash .ci/postgres.sh $(MAKE) --no-print-directory \
		suite RESULTS=var/test-results-pg 2>&1; echo "exit $$?" ) | tee var/test-pg.log \
		| sed -u 's/^/postgres | /' & \
	wait; status=0; \
	for db in sqlite pg; do \
		printf '\n=== %s: %s\n' "$$db" "$$(grep -E '^=+ .*(passed|failed|error)' var/test-$$db.log | tail -n 1)"; \
		tail -n 1 var/test-$$db.log | grep -qx 'exit 0' || { status=1; echo "the $$db run failed (var/test-$$db.log)"; }; \
	done; \
	for db in sqlite pg; do \
		tail -n 1 var/test-$$db.log | grep -qx 'exit 0' || { printf '\n=== what failed on %s\n' "$$db"; \
			grep -E '^(FAILED|ERROR) |^E  ' var/test-$$db.log | cut -c1-240 | tail -n 30; }; \
	done; \
	exit $$status

lint: install
	$(call section,Lint)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

checks: install
	$(call section,Django checks)
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run
	env -u DATABASE_URL $(PY) manage.py check

# Production-like settings must pass `check --deploy` without a single message.
deploy-check: install
	@key=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))'); \
	out=$$(env -u DATABASE_URL $(DEPLOY_ENV) DJANGO_SECRET_KEY=$$key \
		$(PY) manage.py check --deploy --fail-level WARNING 2>&1); status=$$?; \
	echo "check --deploy: $$out"; \
	if [ $$status -ne 0 ] || [ "$$out" != "System check identified no issues (0 silenced)." ]; then \
		echo "check --deploy must report no issues at all" >&2; exit 1; fi

tools:
	$(call section,System packages and axe-core)
	@bash .ci/system-deps.sh chromium postgresql npm redis nginx
	@test -f $(AXE) || npm install --prefix var/node --no-audit --no-fund --loglevel=error axe-core@4
	@echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	echo "axe-core: $$(node -p 'require("./var/node/node_modules/axe-core/package.json").version')"

# The suite against DATABASE_URL (SQLite in var/test when unset); `make test` runs it twice.
suite: install
	@$(PY) manage.py shell -v 0 -c "$$DB_INFO"
	$(PY) -m pytest --output=$(RESULTS) $(PYTEST_ARGS)

serve: install  ## production-style: DEBUG off, collected static, gunicorn on 127.0.0.1:$(PORT)
	@mkdir -p var/mail
	@if [ -z "$$DJANGO_SECRET_KEY" ] && [ ! -s var/secret_key ]; then \
		(umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key); fi
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) WORKERS=$(WORKERS) $(VENV)/bin/gunicorn -c site_config/gunicorn.py site_config.wsgi \
		--bind 127.0.0.1:$(PORT)

# The scaled-out topology on this machine (.ci/cluster.sh): PostgreSQL, Redis, two gunicorn app
# servers, the task worker, cron and nginx on 127.0.0.1:$(CLUSTER_PORT), all in var/cluster,
# with the demo content. `make cluster-stop` stops it; its data stays for the next start.
CLUSTER_PORT ?= 8080
cluster: install  ## PostgreSQL, Redis, two app servers, the worker and nginx on http://127.0.0.1:$(CLUSTER_PORT)
	@PORT=$(CLUSTER_PORT) bash .ci/cluster.sh up

cluster-stop:  ## stop everything `make cluster` started
	@bash .ci/cluster.sh down

cluster-status:  ## which pieces of `make cluster` run
	@bash .ci/cluster.sh status

# tests/cluster against a cluster of its own (var/test-cluster, no demo content, a free port,
# mail to the tests' SMTP server), stopped and removed at the end, whatever happened.
test-cluster: install tools  ## the cluster's tests: two app servers behind nginx, the worker, failure drills
	$(call section,Tests against a cluster: nginx, two app servers, Redis, PostgreSQL, the worker)
	@bash .ci/system-deps.sh redis nginx
	@dir=$(CURDIR)/var/test-cluster; \
	CLUSTER_DIR=$$dir bash .ci/cluster.sh down >/dev/null; rm -rf $$dir; \
	trap 'CLUSTER_DIR=$$dir bash .ci/cluster.sh down; rm -rf $$dir' EXIT; \
	free() { $(PY) -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }; \
	CLUSTER_DIR=$$dir PORT=$$(free) CLUSTER_SEED=0 EMAIL_URL=smtp://127.0.0.1:$$(free) \
		bash .ci/cluster.sh up && \
	( source $$dir/env && CLUSTER_DIR=$$dir $(PY) -m pytest tests/cluster \
		--output=var/test-results-cluster $(PYTEST_ARGS) )

# Pages in-process and over gunicorn, seeded discussions of 1,000, 5,000 and 50,000 comments
# (early shape: first page, whole discussion, first reader after a post), posting, then
# bench-concurrency and bench-spam; all in var/bench*, tables in bench/results.md. Knobs:
# BENCH_ROUNDS, BENCH_COLD_ROUNDS, BENCH_POST_ROUNDS, BENCH_HTTP_ROUNDS, BENCH_AFTER_POST_ROUNDS,
# BENCH_ROW_SECONDS, BENCH_THREAD_SIZES, BENCH_HTTP_SIZES (bench/run.py).
bench: install  ## benchmarks: prints and writes a results table
	$(PY) bench/run.py
	@status=0; \
	$(MAKE) --no-print-directory bench-concurrency || status=1; \
	$(MAKE) --no-print-directory bench-spam || status=1; \
	$(MAKE) --no-print-directory bench-newsletter || status=1; \
	$(MAKE) --no-print-directory bench-donations || status=1; \
	$(MAKE) --no-print-directory bench-notifications || status=1; \
	$(MAKE) --no-print-directory bench-import || status=1; \
	$(MAKE) --no-print-directory bench-cluster || status=1; \
	exit $$status

# 8 guests posting at once through gunicorn: on SQLite (var/bench-concurrency), then on a
# throw-away PostgreSQL cluster (.ci/postgres.sh), or on DATABASE_URL's PostgreSQL when one
# is already set. Fails on
# a 500, a lost or doubled comment, or a locked database. Knobs: BENCH_POSTERS, BENCH_POSTS.
bench-concurrency: install  ## 8 guests posting at once through gunicorn, on SQLite then PostgreSQL
	@status=0; \
	printf '\n=== Concurrent posting on SQLite ===\n'; \
	env -u DATABASE_URL $(PY) bench/concurrent_post.py || status=1; \
	printf '\n=== Concurrent posting on PostgreSQL ===\n'; \
	if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
		$(PY) bench/concurrent_post.py || status=1; \
	else \
		bash .ci/postgres.sh $(PY) bench/concurrent_post.py || status=1; \
	fi; \
	exit $$status

# 1,000 comments through gunicorn from a seeded-random mix of honest readers, spammers,
# robots, floods and duplicates, on a fresh SQLite database in var/bench-spam: what the
# moderation rules make of each kind, and ms per post. Fails if a trusted commenter's honest
# comment is held or refused or a stopped one shows on a page. Knobs: BENCH_SPAM_POSTS,
# BENCH_SPAM_SEED, BENCH_SPAM_SPAN.
bench-spam: install  ## 1,000 honest and spam comments through gunicorn: what the moderation rules do
	$(call section,Spam run on SQLite)
	env -u DATABASE_URL $(PY) bench/spam_run.py

# A newsletter issue sent to 10,000 and 50,000 confirmed readers through an aiosmtpd sink on
# 127.0.0.1: deliveries a second, the sender's peak memory, the time to freeze the audience; on
# SQLite (var/bench-newsletter), then on PostgreSQL as bench-concurrency does. Fails unless
# the sink took one message per reader and the ledger agrees. Knobs: BENCH_NEWSLETTER_SIZES,
# BENCH_PROFILE (bench/newsletter.py).
bench-newsletter: install  ## a newsletter issue to 10,000 and 50,000 readers over SMTP, on SQLite then PostgreSQL
	@status=0; \
	printf '\n=== Newsletter sending on SQLite ===\n'; \
	env -u DATABASE_URL $(PY) bench/newsletter.py || status=1; \
	printf '\n=== Newsletter sending on PostgreSQL ===\n'; \
	if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
		$(PY) bench/newsletter.py || status=1; \
	else \
		bash .ci/postgres.sh $(PY) bench/newsletter.py || status=1; \
	fi; \
	exit $$status

# Signed dev events POSTed to /support/webhook/dev/ through gunicorn by 4 clients at once
# (1,500 one-off checkouts and 500 monthly renewals, each processed and its receipt mailed to
# an aiosmtpd sink within the request), then every event replayed: events a second, p50/p99
# of one event and of a replayed one; on SQLite (var/bench-donations), then on PostgreSQL as
# bench-concurrency does. Fails if an event is not answered 200, a payment or receipt is
# missing, or a replay changed anything. Each pass stops after 30 s on a busy machine. Knobs:
# BENCH_DONATION_EVENTS, BENCH_DONATION_RENEWALS, BENCH_DONATION_CLIENTS, BENCH_DONATION_SECONDS
# (bench/donations.py).
bench-donations: install  ## the donations webhook over HTTP: events a second, and replayed events changing nothing
	@status=0; \
	printf '\n=== Donation webhooks on SQLite ===\n'; \
	env -u DATABASE_URL $(PY) bench/donations.py || status=1; \
	printf '\n=== Donation webhooks on PostgreSQL ===\n'; \
	if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
		$(PY) bench/donations.py || status=1; \
	else \
		bash .ci/postgres.sh $(PY) bench/donations.py || status=1; \
	fi; \
	exit $$status

# Reader notifications with TASKS_BACKEND=database (var/bench-notifications): a reply to a
# 1,000-comment discussion whose parent's writer wants to hear of it (its task queued), beside
# nobody to tell, notifications off, and the immediate backend (the notice sent in the
# request), 200 posts a row; then the hourly digest for an article with 1,000 followers and 20
# new comments (send_digests queueing a mail each) and the worker sending them to an aiosmtpd
# sink; on SQLite, then on PostgreSQL as bench-concurrency does. Fails if a notice or a digest
# mail is missing. Knobs: BENCH_NOTIFY_POSTS, BENCH_NOTIFY_FOLLOWERS, BENCH_NOTIFY_COMMENTS,
# BENCH_NOTIFY_DIGESTS (bench/notifications.py).
bench-notifications: install  ## reply notifications and a 1,000-follower digest, on SQLite then PostgreSQL
	@status=0; \
	printf '\n=== Notifications on SQLite ===\n'; \
	env -u DATABASE_URL $(PY) bench/notifications.py || status=1; \
	printf '\n=== Notifications on PostgreSQL ===\n'; \
	if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
		$(PY) bench/notifications.py || status=1; \
	else \
		bash .ci/postgres.sh $(PY) bench/notifications.py || status=1; \
	fi; \
	exit $$status

# import_wordpress on a generated WordPress export (bench/wxr.py, kept in var/bench-import) of
# 1,000 posts and 50,000 threaded comments, then of 10,000 and 500,000, each into a fresh
# database, in a process of its own: seconds, comments a second, peak memory; the first size
# imported again (the re-run creates nothing). On SQLite, then on PostgreSQL as bench-concurrency
# does (the 1x export only, unless BENCH_IMPORT_PG_SIZES or BENCH_IMPORT_SIZES says otherwise).
# Fails if the database differs from the file (articles, comment statuses, threads, depths,
# counts), if 50,000 comments take 60 s or more, or if a run's peak memory reaches 300 MB.
# Knobs: BENCH_IMPORT_SIZES ("posts:comments,..."), BENCH_IMPORT_PG_SIZES (bench/import_wp.py).
BENCH_IMPORT_PG_SIZES ?= $(or $(BENCH_IMPORT_SIZES),1000:50000)
bench-import: install  ## import_wordpress on 50,000 and 500,000 generated comments: time, peak memory, a re-run
	@status=0; \
	printf '\n=== WordPress import on SQLite ===\n'; \
	env -u DATABASE_URL $(PY) bench/import_wp.py || status=1; \
	printf '\n=== WordPress import on PostgreSQL ===\n'; \
	if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
		BENCH_IMPORT_SIZES=$(BENCH_IMPORT_PG_SIZES) $(PY) bench/import_wp.py || status=1; \
	else \
		BENCH_IMPORT_SIZES=$(BENCH_IMPORT_PG_SIZES) bash .ci/postgres.sh $(PY) bench/import_wp.py \
			|| status=1; \
	fi; \
	exit $$status

# The article page with 1,000 comments and posting, through nginx with one and with two app
# servers and straight to one gunicorn, by wrk -c8 (req/s, p50, p99), on a cluster of its own in
# var/bench-cluster; tables in bench/results.md. Knobs: BENCH_CLUSTER_SECONDS (bench/cluster.py).
bench-cluster: install  ## wrk -c8 through nginx to one and two app servers, beside one gunicorn alone
	@bash .ci/system-deps.sh redis nginx wrk
	$(PY) bench/cluster.py

# A fresh demo site in var/screenshots (migrate, seed_demo, ensure_demo_admin, a 300-comment
# seed_thread) on a free port, photographed by Chromium at 1280x800 and 390x844, light and dark.
screenshots: install  ## retake the README's screenshots in docs/screenshots/ from a fresh demo site
	$(PY) docs/screenshots.py

clean:  ## remove test artefacts and collected static (keeps .venv and the demo data)
	rm -rf var/test var/test-pg var/test-results var/test-results-pg var/test-results-cluster var/test-cluster var/test-*.log var/pg var/node var/static test-results
