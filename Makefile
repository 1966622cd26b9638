# build/blog and its tests.  `make` builds build/blog; `make SAN=1` builds the
# AddressSanitizer + UBSan variant into build-asan/; `make tests` builds the
# unit test binaries (tests/unit/test_*.c -> $(BUILD)/test_*).

PKGS    = libcmark yaml-0.1 cairo fontconfig libmicrohttpd libpng zlib
CC     ?= cc
WARN    = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith -Werror
CFLAGS  = -std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -g $(WARN) \
          $(shell pkg-config --cflags $(PKGS)) -MMD -MP
LDLIBS  = $(shell pkg-config --libs $(PKGS)) -lm -lpthread

ifeq ($(SAN),1)
BUILD  ?= build-asan
CFLAGS += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
          -fno-omit-frame-pointer -DBLOG_SANITIZE=1
LDFLAGS += -fsanitize=address,undefined
else
BUILD  ?= build
CFLAGS += -O2
endif

SRC     = $(wildcard src/*.c)
OBJ     = $(SRC:src/%.c=$(BUILD)/obj/%.o)
LIBOBJ  = $(filter-out $(BUILD)/obj/main.o,$(OBJ))
TSRC    = $(wildcard tests/unit/test_*.c)
TESTS   = $(TSRC:tests/unit/%.c=$(BUILD)/%)
CHECK   = $(shell pkg-config --cflags --libs check)

all: $(BUILD)/blog

tests: $(BUILD)/blog $(TESTS)

$(BUILD)/blog: $(OBJ)
	@echo LD $@
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/obj
	@echo CC $<
	@$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tobj/%.o: tests/unit/%.c | $(BUILD)/tobj
	@echo CC $<
	@$(CC) $(CFLAGS) -Isrc $(shell pkg-config --cflags check) -c -o $@ $<

$(BUILD)/test_%: $(BUILD)/tobj/test_%.o $(LIBOBJ)
	@echo LD $@
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CHECK)

$(BUILD)/obj $(BUILD)/tobj:
	mkdir -p $@

clean:
	rm -rf build build-asan

.PHONY: all tests clean
.SECONDARY:

-include $(OBJ:.o=.d) $(wildcard $(BUILD)/tobj/*.d)

# libFuzzer harnesses (fuzz/fuzz_*.c), built with clang into build-fuzz/.
# `make fuzz` runs each for FUZZ_TIME seconds on its corpus in fuzz/corpus/;
# `make fuzz-build` only builds them.  New inputs found go to
# build-fuzz/corpus-NAME (the committed seeds stay as they are).
FUZZ_TIME ?= 60
FUZZ_CC    = clang
FUZZ_FLAGS = -std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -g -O1 \
             -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
             $(shell pkg-config --cflags $(PKGS)) -Isrc
FUZZERS    = $(patsubst fuzz/%.c,build-fuzz/%,$(wildcard fuzz/fuzz_*.c))
FUZZ_OBJ   = $(patsubst src/%.c,build-fuzz/obj/%.o,$(filter-out src/main.c,$(SRC)))

build-fuzz/obj/%.o: src/%.c
	@mkdir -p build-fuzz/obj
	@echo FUZZ-CC $<
	@$(FUZZ_CC) $(FUZZ_FLAGS) -c -o $@ $<

build-fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJ)
	@echo FUZZ-LD $@
	@$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz-build: $(FUZZERS)

fuzz: fuzz-build
	@for f in $(FUZZERS); do \
	  n=$${f#build-fuzz/fuzz_}; mkdir -p build-fuzz/corpus-$$n; \
	  echo "== $$n: $(FUZZ_TIME) s"; \
	  $$f -max_total_time=$(FUZZ_TIME) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	      -print_final_stats=1 build-fuzz/corpus-$$n fuzz/corpus/$$n 2>&1 | \
	      grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)|Done ' || exit 1; \
	done

.PHONY: fuzz fuzz-build
