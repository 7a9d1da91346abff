# nexuskb — thin wrapper over scripts/bootstrap, CMake and CTest.
#   make run    install what is missing, build, index content/, serve on 127.0.0.1:8080
#   make test   install what is missing, build, run every test (ctest)
BUILD ?= build
CMAKE_ARGS ?=
LISTEN ?= 127.0.0.1:8080
INDEX ?= var/index

.PHONY: all bootstrap configure build index check run test test-sanitize test-tsan fuzz bench clean
SANITIZE_BUILD ?= build-sanitize
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60

all: build

bootstrap:
	@scripts/bootstrap

configure: bootstrap
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD)

check: build
	$(BUILD)/nexuskb-index --check --content content

index: build
	$(BUILD)/nexuskb-index --content content --out $(INDEX)

run: index
	$(BUILD)/nexuskb-serve --index $(INDEX) --listen $(LISTEN) --templates templates

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j 2
	@$(MAKE) --no-print-directory test-sanitize
	@$(MAKE) --no-print-directory test-tsan

# Unit and server tests again under AddressSanitizer + UndefinedBehaviorSanitizer (browser tests
# and benchmarks excluded).
test-sanitize: bootstrap
	@cmake -S . -B $(SANITIZE_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNEXUSKB_SANITIZE=ON $(CMAKE_ARGS) >/dev/null
	@cmake --build $(SANITIZE_BUILD) --target unit_tests integration_tests nexuskb-serve nexuskb-index
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANITIZE_BUILD) --output-on-failure -j 2 -R '^(unit|integration)\.'

# Unit and server tests again under ThreadSanitizer: the server is threaded throughout
# (connection pool, search gate, index reloads, response cache). Suppressions for races inside
# uninstrumented system libraries are in tests/tsan.supp.
TSAN_BUILD ?= build-tsan
test-tsan: bootstrap
	@cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEXUSKB_TSAN=ON $(CMAKE_ARGS) >/dev/null
	@cmake --build $(TSAN_BUILD) --target unit_tests integration_tests nexuskb-serve nexuskb-index
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  ctest --test-dir $(TSAN_BUILD) --output-on-failure -j 2 -R '^(unit|integration)\.'

# libFuzzer targets built with clang; each runs FUZZ_SECONDS. Crashes are written to
# tests/fixtures/fuzz-regressions/<target>/ and replayed by the unit tests from then on.
fuzz: bootstrap
	@cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
	  -DNEXUSKB_FUZZ=ON -DNEXUSKB_TESTS=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) --target fuzz_front_matter fuzz_markdown fuzz_request fuzz_http
	@for t in front_matter markdown request http; do \
	  mkdir -p tests/fixtures/fuzz-regressions/$$t $(FUZZ_BUILD)/corpus/$$t; \
	  echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    -artifact_prefix=tests/fixtures/fuzz-regressions/$$t/ $(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t || exit 1; \
	done

clean:
	rm -rf $(BUILD) var

# Relevance benchmark (issues 4 and 11): nexuskb search vs SQLite FTS5 and Orama baselines on the
# judged queries of tests/relevance/queries.yaml; writes bench/results/relevance.md and .json.
# NEXUSKB_BENCH=1 bootstrap installs libsqlite3-dev, Node.js when missing, and Orama's npm packages
# (npm ci in bench/relevance/orama); without Node.js or Orama the report says so and goes on.
.PHONY: bench-relevance
bench-relevance:
	@NEXUSKB_BENCH=1 scripts/bootstrap
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) --target nexuskb-relevance
	$(BUILD)/nexuskb-relevance --content content --queries tests/relevance/queries.yaml --out bench/results

# Performance benchmarks (issue 6): corpus generator, indexing, in-process latency, HTTP with wrk
# against a hello-world server and the peers (SQLite FTS5 in process, Sphinx Search over SphinxQL,
# Groonga, Omega), profiles; writes bench/results/summary.md and *.json. About 15-20 minutes on
# the 2-core machine without 2M passages; a quick run:
# `make bench BENCH_SIZES="1000 20000"`. Knobs: see bench/run.sh. Never part of `make test`.
bench:
	@NEXUSKB_BENCH=1 scripts/bootstrap
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) --target nexuskb-index nexuskb-serve bench_tools
	BUILD=$(BUILD) bench/run.sh
