# SPDX-License-Identifier: MIT
# evsed: `make run` and `make test` work on a fresh Debian machine as root.
BUILD      ?= build
TEST_BUILD ?= build-test
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
MAKEFLAGS  += --no-print-directory

.PHONY: all run test build bench format lint clean deps deps-test

all: build

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEVSED_TESTS=OFF \
		-DEVSED_SANITIZE=OFF -DEVSED_WERROR=OFF >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# Start evsed on the default simulated charger (io7), state in ./var.
run: build
	@echo "Drive it from a second terminal: $(BUILD)/evsectl status (see README.md)"
	@exec $(BUILD)/evsed $(ARGS)

# Warnings as errors, ASan + UBSan, every test; ends with "N passed, N failed".
test: deps-test
	@cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DEVSED_WERROR=ON \
		-DEVSED_SANITIZE=ON -DEVSED_TESTS=ON >/dev/null
	@cmake --build $(TEST_BUILD) -j$(JOBS)
	@mkdir -p $(TEST_BUILD)/tmp
	@cd $(TEST_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest -j$(JOBS) --output-on-failure --timeout 300 > ctest.log 2>&1; \
		rc=$$?; cat ctest.log; cd .. && scripts/test-summary.sh $(TEST_BUILD)/ctest.log $$rc

bench: build deps-test
	@cmake -S . -B $(BUILD) -DEVSED_BENCH=ON >/dev/null
	@cmake --build $(BUILD) -j$(JOBS) --target evsed_bench evsed_core_bench evsed_lm_bench \
		modbus_meter_sim
	@$(BUILD)/evsed_bench $(BUILD)/evsed
	@$(BUILD)/evsed_core_bench
	@$(BUILD)/evsed_lm_bench
	@node bench/ocpp_bench.mjs $(BUILD)/evsed
	@node bench/locallist_bench.mjs $(BUILD)/evsed
	@node bench/meter_pwm_bench.mjs $(BUILD)/evsed $(BUILD)/evsectl $(BUILD)/modbus_meter_sim
	@node bench/web_bench.mjs $(BUILD)/evsed

format:
	@clang-format -i $$(find src tests/unit bench -name '*.[ch]')

lint: deps-test
	@scripts/check-banned.sh
	@scripts/check-format.sh

clean:
	@rm -rf $(BUILD) $(TEST_BUILD)
