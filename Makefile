# nexuskb — thin wrapper over scripts/bootstrap, CMake and CTest.
#   make run    install what is missing, build, index content/, serve on 127.0.0.1:8080
#   make test   install what is missing, build, run every test (ctest)
BUILD ?= build
CMAKE_ARGS ?=
LISTEN ?= 127.0.0.1:8080
INDEX ?= var/index

.PHONY: all bootstrap configure build index check run test bench clean

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

clean:
	rm -rf $(BUILD) var

# Relevance benchmark (issue 4): nexuskb search vs a SQLite FTS5 BM25 baseline on the judged queries
# of tests/relevance/queries.yaml; writes bench/results/relevance.md and relevance.json.
# Needs add_subdirectory(bench/relevance) in CMakeLists.txt and libsqlite3-dev (NEXUSKB_BENCH=1).
.PHONY: bench-relevance
bench-relevance:
	@NEXUSKB_BENCH=1 scripts/bootstrap
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) --target nexuskb-relevance
	$(BUILD)/nexuskb-relevance --content content --queries tests/relevance/queries.yaml --out bench/results
