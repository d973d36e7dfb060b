# Fresh machine: `make demo` (crawl the local replica fleet end to end) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORTALS := $(VENV)/bin/portals
STAMP := $(VENV)/.installed-stamp
DEMO_DIR := data/demo

.PHONY: venv test demo run store-start store-stop clean

# The venv, installed from the pins; redone when the pins change.
$(STAMP): pyproject.toml constraints.txt
	@python313=$$(bin/find-python3.13) || exit 1; \
	  test -x $(PY) || "$$python313" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

venv: $(STAMP)

# pytest exits 5 when it collected no test: say so rather than pass silently.
test: venv
	@$(PY) -m pytest -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; exit $$rc

# Offline end to end: replica fleet on 127.0.0.1 -> crawl every portal -> embedded store -> stored articles.
demo: venv
	@mkdir -p $(DEMO_DIR)
	@$(PORTALS) replica serve --registry-out $(DEMO_DIR)/replica.yaml > $(DEMO_DIR)/replica.log 2>&1 & echo $$! > $(DEMO_DIR)/replica.pid; \
	  trap 'kill $$(cat $(DEMO_DIR)/replica.pid) 2>/dev/null' EXIT; \
	  for i in $$(seq 50); do test -s $(DEMO_DIR)/replica.yaml && break; sleep 0.2; done; \
	  test -s $(DEMO_DIR)/replica.yaml || { echo "replica fleet did not start, see $(DEMO_DIR)/replica.log"; exit 1; }; \
	  set -e; \
	  $(PORTALS) --registry $(DEMO_DIR)/replica.yaml --db demo crawl --all; \
	  echo; echo "== second run: incremental, nothing new to download =="; \
	  $(PORTALS) --registry $(DEMO_DIR)/replica.yaml --db demo crawl --all 2>/dev/null; \
	  echo; echo "== latest stored articles (portals --db demo query) =="; \
	  $(PORTALS) --db demo query --limit 15

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
