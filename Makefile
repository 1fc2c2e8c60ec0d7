# The two commands of the README:
#   make demo   builds the widget and serves the standalone page against the
#               local emulator (a 5,000-item demo shop), printing the URL.
#   make test   runs every test: formatting and clippy, native, in-browser
#               (wasm) and end-to-end.
SHELL := /bin/bash
export PATH := $(CURDIR)/target/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver

PORT ?= 8080
DEMO_ITEMS ?= 5000
STOREFRONT ?= https://www.my-store.com
# The demo page's deploy configuration, written into its cg-config block (and
# its Content-Security-Policy) by the emulator, as a partner's deploy step
# (cg-configure) would: {origin} is the emulator itself, http://localhost:PORT,
# as CDN and Client API; www.my-vinyl-store.com is its GraphQL shop domain.
DEMO_CONFIG ?= {"shop":"1234","cdn":"{origin}","storefront":"$(STOREFRONT)","currency":"EUR","origin":"www.my-vinyl-store.com","api":"{origin}/graphql"}

.PHONY: demo test setup build package bench bench-hostile lint test-native test-wasm test-e2e

setup:
	@bash tests/tools/setup.sh

build: setup
	trunk build --release --offline
	bash tests/tools/build-package.sh dist/embed
	cargo build --release -p cg-emulator
	cargo build --release --bin cg-configure
	@bash tests/tools/bundle-size.sh

# The npm package alone, in pkg/ (`cd pkg && npm publish` publishes it).
package: setup
	bash tests/tools/build-package.sh

demo: build
	@echo
	@echo "Open http://127.0.0.1:$(PORT)/"
	@echo "Embeds: http://127.0.0.1:$(PORT)/public/partner-blog.html  .../public/two-shops.html  .../public/npm-mount.html"
	@echo
	target/release/cg-emulator serve --port $(PORT) --static dist --shop 1234=$(DEMO_ITEMS) --page-config '$(DEMO_CONFIG)'

test: setup lint test-native test-wasm build test-e2e

# Benchmark: the widget against vanilla-JS, MiniSearch and ItemsJS baselines
# on 1k, 10k and 50k-item feeds, in one headless Chromium; writes
# tests/bench/results/perf.{json,md}. RUNS=1 SIZES=1000 for a quick run.
bench: build
	@[ -d tests/bench/node_modules/minisearch ] || npm ci --no-audit --no-fund --prefix tests/bench
	node tests/bench/perf.mjs

# Benchmark, not a test: a hostile 50,000-item feed through load, search and
# facets; writes tests/bench/results/hostile-load.{json,md}.
bench-hostile: build
	node tests/bench/hostile-load.mjs

# Habits the tests hold: formatted code, and no clippy warning on the host
# (core, emulator, tests, examples) or in the wasm shell, in every build
# the embed's loader chooses from (tests/tools/build-package.sh).
lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p cg-inventory --lib --tests -- -D warnings
	for features in "" checkout aggregator cursor; do \
		cargo clippy --target wasm32-unknown-unknown -p cg-inventory --lib --no-default-features --features "$$features" -- -D warnings || exit 1; \
	done

test-native:
	cargo test --workspace

test-wasm:
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
		cargo test --target wasm32-unknown-unknown --test browser

test-e2e:
	cd tests/e2e && npm test
