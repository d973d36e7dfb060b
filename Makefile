# Fresh machine: `make demo` (crawl the local replica fleet end to end) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORTALS := $(VENV)/bin/portals
STAMP := $(VENV)/.installed-stamp

APT_PACKAGES := chromium redis-server
.PHONY: venv system-deps test demo bench run store-start store-stop clean

# Debian packages: Chromium renders the pages that need JavaScript (scrapy-playwright drives it;
# Playwright's own browser download cannot work offline); redis-server for distributed crawls and
# their tests. apt-get update runs only when one is missing.
system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    echo "installing Debian packages: $$missing"; \
	    $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$missing; \
	  fi

# The venv, installed from the pins; redone when the pins change.
$(STAMP): pyproject.toml constraints.txt
	@python313=$$(bin/find-python3.13) || exit 1; \
	  test -x $(PY) || "$$python313" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

venv: $(STAMP) system-deps

# pytest exits 5 when it collected no test: say so rather than pass silently.
test: venv
	@$(PY) -m pytest -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; exit $$rc

# Offline end to end: replica fleet on loopback -> crawl every portal twice -> embedded store -> stored articles.
demo: venv
	$(PORTALS) demo

# Benchmarks (not tests): bench/results.json and BENCHMARKS.md; `bench/run.py --full` for the full scale.
bench: venv
	$(PY) bench/run.py

# Crawl the real portals of portals.yaml (needs internet access to them).
run: venv
	$(PORTALS) crawl --all

store-start: venv
	$(PORTALS) store start

store-stop: venv
	$(PORTALS) store stop

clean:
	-$(PORTALS) store stop
	rm -rf $(VENV) data .pytest_cache
