# Two commands a newcomer needs: `make run` and `make test`. Both install and build first.
SHELL := /bin/bash
NPM_STAMP := node_modules/.omen-installed
# `make run PORT=9000` when 8080 is taken.
PORT ?= 8080

.PHONY: install build test bench run fleet clean

install: $(NPM_STAMP)

# npm ci only when node_modules is missing or older than the manifest or lock file.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build: install
	npx tsc -p tsconfig.json

test: build
	node spec/run.mjs

bench: build
	$(MAKE) -C bench/compare install
	node --expose-gc dist/bench/run.js

run: build
	node dist/lib/cli.js serve --demo --port $(PORT)

# Three demo instances, a real Prometheus and the fleet's Metrics API on PORT (README: "When one process is not enough").
fleet: build
	node dist/examples/fleet/fleet.js $(PORT)

clean:
	rm -rf dist coverage
