# hardock: a thin front over Meson.  `make run` and `make test` are all a new
# machine needs; both install missing Debian packages first.
PREFIX ?= /usr/local
BUILD  ?= build
ASAN   ?= build-asan
FUZZ   ?= build-fuzz
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps test-deps build run test bench bench-formats bench-engine bench-authz bench-image bench-serve bench-vuln fuzz docs install clean

all: build

deps:
	@sh tools/install-deps.sh tools/deps.txt

test-deps: deps
	@sh tools/install-deps.sh tools/test-deps.txt

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release -Db_lto=true -Dtests=disabled

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(JOBS)

# The main job: audit this machine, then lint the examples.
run: build
	@sh tools/run.sh $(BUILD)/hardock

# The CI build: warnings are errors here.
$(ASAN)/build.ninja:
	meson setup $(ASAN) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Dtests=enabled \
		-Dwerror=true

test: test-deps $(ASAN)/build.ninja
	ninja -C $(ASAN) -j $(JOBS)
	@sh tools/run-tests.sh $(ASAN)

bench: build
	@sh bench/run.sh $(BUILD)/hardock

# Every output format on the Dockerfile corpus against gnu and cat (time, peak RSS).
bench-formats: build
	@sh bench/formats.sh $(BUILD)/hardock
	@/usr/bin/python3 bench/lint-interleaved.py $(BUILD)/hardock

# The authorization plugin under load: throughput, latency, slow clients, memory.
bench-authz: build
	@sh bench/authz.sh $(BUILD)

# hardock image against gzip -dc on a 2 GiB gzip layer, many entries, a Debian image.
bench-image: build
	@sh bench/image.sh $(BUILD)

# The vulnerability database at real size: generated feeds imported, SBOM and
# scan of a bookworm image, lookup time against the database's size.
bench-vuln: build test-deps
	@sh bench/vuln.sh $(BUILD)

# Full audits of a private dockerd with 10, 50 and 200 containers (root).
bench-engine: build test-deps
	@sh bench/engine.sh $(BUILD)

bench-serve: build test-deps
	@sh bench/serve.sh $(BUILD)

$(FUZZ)/build.ninja:
	CC=clang meson setup $(FUZZ) --buildtype=debugoptimized -Dfuzz=true -Dtests=disabled -Db_lundef=false

fuzz: deps $(FUZZ)/build.ninja
	ninja -C $(FUZZ) -j $(JOBS)
	@sh tests/fuzz/run.sh $(FUZZ) $${FUZZ_SECONDS:-60}

docs: build
	@sh tools/gen-docs.sh $(BUILD)/hardock docs/rules

install: build
	install -D -m 0755 $(BUILD)/hardock $(DESTDIR)$(PREFIX)/bin/hardock
	install -D -m 0644 docs/hardock.1 $(DESTDIR)$(PREFIX)/share/man/man1/hardock.1

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)
