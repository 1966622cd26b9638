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
