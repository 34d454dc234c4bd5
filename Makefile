# Two commands on a fresh machine: `make demo` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/jinjie
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup system-packages browser demo test test-sqlite test-postgresql lint serve bench loadtest clean

ASSETS := src/jinjie/static/vendor/VERSIONS.json

# Front-end assets come from the npm registry (pinned in package-lock.json) and are copied into
# static/vendor: pages never load anything from outside. The browser tests drive Debian's
# chromium, installed here when missing and we are root (never a downloaded browser build).
setup: $(STAMP) $(ASSETS)

# python-ldap (统一身份认证, django-auth-ldap) compiles against OpenLDAP's and SASL's headers, so
# they come before the venv's install; the directory tests start Debian's slapd and load it with
# ldapadd. Installed here when missing and we are root; otherwise say what to install. (python-ldap
# also needs the interpreter's own headers: Debian's python3-dev, or those a pyenv build ships.)
LDAP_DEBS := gcc libldap-dev libsasl2-dev slapd ldap-utils
system-packages:
	@missing=""; for p in $(LDAP_DEBS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "安装$$missing(统一身份认证 python-ldap 的编译头文件与测试用的目录服务)"; \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
		else \
			echo "提示：缺少 Debian 软件包$$missing，请以 root 运行 make setup 或 apt-get install$$missing" >&2; \
		fi; \
	fi

browser:
	@if [ "$$(id -u)" = "0" ] && { [ ! -x /usr/bin/chromium ] || [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; }; then \
		echo "安装 chromium 与中文字体(浏览器测试与截图用)"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei; \
	fi

$(ASSETS): package.json package-lock.json scripts/vendor_assets.js
	npm ci --ignore-scripts --no-audit --no-fund
	node scripts/vendor_assets.js

# Reinstalls only when pyproject.toml changes, so a second `make demo` is quick.
$(STAMP): pyproject.toml | system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

# The web server and a background worker (evaluations, big imports run as jobs); Ctrl-C stops both.
demo: setup
	$(BIN)/jinjie init
	$(BIN)/jinjie demo
	$(BIN)/jinjie demo-server $(HOST):$(PORT)

serve: setup
	$(BIN)/jinjie demo-server $(HOST):$(PORT)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

test: setup browser lint test-sqlite test-postgresql

test-sqlite: setup
	mkdir -p var
	env -u DATABASE_URL JINJIE_EXPECT_DB=sqlite $(BIN)/pytest --junitxml=var/test-sqlite.xml

# The PostgreSQL half runs whenever a server answers; CI (JINJIE_REQUIRE_PG=1) fails without one.
test-postgresql: setup
	mkdir -p var
	@if $(BIN)/python scripts/pg_ready.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" JINJIE_EXPECT_DB=postgresql $(BIN)/pytest --junitxml=var/test-postgresql.xml; \
	elif [ "$${JINJIE_REQUIRE_PG:-0}" = "1" ]; then \
		echo "PostgreSQL ($(PG_URL)) 无法连接：CI 要求在 PostgreSQL 上运行测试" >&2; exit 1; \
	else \
		echo "提示：PostgreSQL ($(PG_URL)) 无法连接，仅在 SQLite 上运行了测试"; \
	fi

# BENCH_PG_URL=postgres://…/NAME: import and evaluate also on PostgreSQL (NAME is replaced).
bench: setup
	$(BIN)/python bench/run.py $(if $(BENCH_PG_URL),--database-url "$(BENCH_PG_URL)")

# Two gunicorn processes and one worker on PostgreSQL, 50 locust users for 5 minutes at 100,000
# employees (bench/load_test.py); needs PostgreSQL at PG_URL, whose database it replaces.
loadtest: setup
	$(BIN)/python -m pip install -q -e ".[dev,bench]"
	$(BIN)/python bench/load_test.py --database-url "$(PG_URL)"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
