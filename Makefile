# build/blog and its tests.  `make` builds build/blog; `make SAN=1` builds the
# AddressSanitizer + UBSan variant into build-asan/, `make TSAN=1` the
# ThreadSanitizer one into build-tsan/; `make tests` builds the unit test
# binaries (tests/unit/test_*.c -> $(BUILD)/test_*).

PKGS    = libcmark yaml-0.1 cairo fontconfig libmicrohttpd libpng zlib
# libmicrohttpd is opened by src/mhd.c when `blog serve` starts, not linked:
# loading it (and TLS behind it) cost every `blog build` 1.7 ms; cairo,
# fontconfig and libpng by src/gfx.c when a diagram is drawn (1.2 ms)
DLPKGS  = libmicrohttpd cairo fontconfig libpng zlib
LIBPKGS = $(filter-out $(DLPKGS),$(PKGS))
# the unit tests call cairo themselves
TESTLIBS = $(shell pkg-config --libs cairo fontconfig libpng)
CC     ?= cc
WARN    = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith -Werror
CFLAGS  = -std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -g $(WARN) \
          $(shell pkg-config --cflags $(PKGS)) -MMD -MP
# cmark and libyaml linked from their archives when the compiler finds them
# (Debian's -dev packages have them), else as shared objects: two shared
# objects fewer for the loader to open, map and relocate at every start,
# `blog --version` 62 -> 44 system calls and 89 -> 80 page faults, 0.1-0.3
# ms here (perf stat -r 100 build/blog --version).  An update of either
# library then takes a rebuild of blog (./build.sh) to reach it.
ARCHIVES = $(filter /%,$(shell $(CC) -print-file-name=libcmark.a) \
             $(shell $(CC) -print-file-name=libyaml.a))
ifeq ($(words $(ARCHIVES)),2)
LDLIBS  = -Wl,-Bstatic $(shell pkg-config --libs $(LIBPKGS)) -Wl,-Bdynamic \
          -lm -lpthread -ldl
else
LDLIBS  = $(shell pkg-config --libs $(LIBPKGS)) -lm -lpthread -ldl
endif

ifeq ($(TSAN),1)
BUILD  ?= build-tsan
CFLAGS += -O1 -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS += -fsanitize=thread
else ifeq ($(SAN),1)
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
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS) $(CHECK)

$(BUILD)/obj $(BUILD)/tobj:
	mkdir -p $@

clean:
	rm -rf build build-asan build-tsan

.PHONY: all tests clean
.SECONDARY:

-include $(OBJ:.o=.d) $(wildcard $(BUILD)/tobj/*.d)

# libFuzzer harnesses (fuzz/fuzz_*.c), built with clang into build-fuzz/.
# `make fuzz` runs each for FUZZ_TIME seconds, reading the seeds in
# fuzz/corpus/NAME/ and keeping what it learns in build-fuzz/corpus/NAME/;
# a crash is written to build-fuzz/ and stops the run.
FUZZ_TIME ?= 60
FUZZ_CC    = clang
FUZZ_SAN   = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -g -O1 \
          -fno-omit-frame-pointer $(FUZZ_SAN) $(WARN) -Isrc \
          $(shell pkg-config --cflags libcmark yaml-0.1) -MMD -MP \
          -DTMPL_MAX_STEPS=1000000ul -DBLOG_SANITIZE=1
FUZZ_LIBS  = $(shell pkg-config --libs libcmark yaml-0.1) -lm
FUZZ_MODS  = buf diag fm fs md post scn tcp tmpl trace val xmem yval
FUZZ_OBJ   = $(FUZZ_MODS:%=build-fuzz/obj/%.o)
FUZZERS    = $(patsubst fuzz/%.c,build-fuzz/%,$(wildcard fuzz/fuzz_*.c))

fuzz-build: $(FUZZERS)

fuzz: $(FUZZERS)
	@for f in $(FUZZERS); do \
	  n=$${f#build-fuzz/fuzz_}; mkdir -p build-fuzz/corpus/$$n; \
	  echo "FUZZ $$n ($(FUZZ_TIME) s)"; \
	  $$f -max_total_time=$(FUZZ_TIME) -timeout=10 -print_final_stats=1 \
	    $$(test -f fuzz/$$n.dict && echo -dict=fuzz/$$n.dict) \
	    -artifact_prefix=build-fuzz/$$n- \
	    build-fuzz/corpus/$$n fuzz/corpus/$$n || exit 1; \
	done

build-fuzz/obj/%.o: src/%.c | build-fuzz/obj
	@echo CC $<
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build-fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJ) | build-fuzz/obj
	@echo LD $@
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)

build-fuzz/obj:
	mkdir -p $@

.PHONY: fuzz fuzz-build
-include $(wildcard build-fuzz/obj/*.d)
