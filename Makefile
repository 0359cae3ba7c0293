# sejit: build, install into .venv, test. GNU make.
#
# `make install` is incremental: the venv and its tools are made once, and the package is
# reinstalled only when a source it is built from changed since the last install.

PYTHON3 ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

# Everything the installed package is built from: the Python package and its C extension, the
# ABI header, and the Go engine.
PKG_SOURCES := $(shell find python/sejit cmd internal -type f \( -name '*.py' -o -name '*.c' \
		-o -name '*.h' -o -name '*.go' \) -not -name '*_test.go' -not -path '*/testdata/*' 2>/dev/null) \
	go.mod $(wildcard go.sum) setup.py pyproject.toml

.PHONY: install test demo bench bench-device corpus gofmt-check clean fuzz sanitize

install: $(VENV)/.installed

# Remade when the Makefile changes, so a checkout's existing venv gets packages added here.
$(VENV)/.tools: Makefile
	$(PYTHON3) -m venv $(VENV)
	$(PIP) install -q numpy pytest pytest-xdist setuptools wheel cloudpickle "dask[distributed]" "pyopencl[pocl]" mako nvidia-cuda-nvrtc-cu12
	-@sh tools/opencl-device.sh $(PY)
	touch $@

# pip builds in the shared build/ directory: two installs at once (two shells in one checkout)
# would mix their build trees, so they take turns.
LOCK := $(if $(shell command -v flock),flock $(VENV)/.lock,)

$(VENV)/.installed: $(VENV)/.tools $(PKG_SOURCES)
	go mod download
	$(LOCK) $(PIP) install -q --no-build-isolation .
	touch $@

gofmt-check:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then \
		echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$out"; exit 1; fi

# The Python tests run in one process per core (pytest-xdist): each test compiles its own
# kernels, so they parallelise well, and the workers share the session's cache directory, which
# the engine's per-entry locks make safe.
test: install gofmt-check
	go vet ./...
	go test ./...
	$(PY) -m pytest -q -n auto tests

demo: install
	$(PY) examples/demo.py

# Both suites, each with its peers measured in the same run: bench/suite.py (the kernels, with
# hand-written C) and the corpus (bench/corpus.py: real programs, with Pythran). Their reports
# and charts go to bench/results/. BENCH_CORPUS_ARGS=--quick for small sizes.
BENCH_CORPUS_ARGS ?=
bench: install
	sh bench/peers.sh $(PY)
	$(PY) bench/suite.py
	$(PY) bench/corpus.py --pythran $(BENCH_CORPUS_ARGS)

# The device target (issue 11): sejit on the OpenCL device (PoCL here) against pyopencl.array and
# sejit on the CPU, launch overhead, cold and warm first calls; writes bench/results/device.{md,json}.
# Not part of `test`. DEVICE_ARGS=--quick for small sizes.
DEVICE_ARGS ?=
bench-device: install
	$(PY) bench/device.py $(DEVICE_ARGS)

# The corpus (bench/corpus/, docs/performance.md): programs written as scientists write NumPy
# code, through CPython, sejit and Numba; CORPUS_ARGS=--quick for small sizes, --pythran adds
# Pythran, --only NAME,... a selection. Not part of `test` (tests/test_corpus.py is).
CORPUS_ARGS ?=
corpus: install
	sh bench/peers.sh $(PY)
	$(PY) bench/corpus.py $(CORPUS_ARGS)

# The differential fuzzer (tools/fuzz.py, docs/reliability.md): random programs through jit and
# CPython for FUZZ_TIME seconds; mismatches are reduced into tools/fuzz-failures/.
FUZZ_TIME ?= 600
FUZZ_SEED ?= 1
FUZZ_JOBS ?= 2
fuzz: install
	$(PY) tools/fuzz.py --time $(FUZZ_TIME) --seed $(FUZZ_SEED) --jobs $(FUZZ_JOBS)

# The Python suite with every kernel built under AddressSanitizer and UndefinedBehaviorSanitizer
# (through SEJIT_CFLAGS, which is part of the cache key), their runtimes preloaded into Python
# because the interpreter is not built with them, in a fresh cache. Any report aborts the test
# process, so the target fails. Slow: not part of `test`. Tests marked sanitizer_incompatible are
# left out (pyproject.toml); SANITIZE_ARGS replaces the test selection (default: tests).
SANITIZE_CC = $(or $(SEJIT_CC),cc)
SANITIZE_ARGS ?= tests
SANITIZE_CFLAGS = -fsanitize=undefined,address -fno-sanitize-recover=undefined -fno-omit-frame-pointer
sanitize: install
	@asan="$$($(SANITIZE_CC) -print-file-name=libasan.so)"; \
	ubsan="$$($(SANITIZE_CC) -print-file-name=libubsan.so)"; \
	for lib in "$$asan" "$$ubsan"; do case "$$lib" in /*) ;; *) \
		echo "sanitize: $(SANITIZE_CC) has no $$lib (install the sanitizer runtimes)"; exit 1;; esac; done; \
	cache="$$(mktemp -d)"; \
	SEJIT_CFLAGS="$(SANITIZE_CFLAGS)" SEJIT_CACHE_DIR="$$cache" SEJIT_TEST_KEEP_CACHE= \
	LD_PRELOAD="$$asan $$ubsan" \
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(PY) -m pytest -q -p no:cacheprovider -m "not sanitizer_incompatible" $(SANITIZE_ARGS); \
	status=$$?; rm -rf "$$cache"; exit $$status

clean:
	rm -rf $(VENV) build python/sejit.egg-info
