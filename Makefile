# Kenes build. `make` builds $(BUILD)/kenes; `make run` installs what is missing,
# builds, creates kenes.db with the demo council and serves it; `make test`
# runs the whole suite (both backends, sanitizers, fuzz corpus replay).

PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium libcmark libcurl libxxhash
CC      ?= gcc
WARN    := -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2 -Wno-missing-field-initializers
BASE_CFLAGS := -std=c17 -D_GNU_SOURCE $(WARN) -Isrc -MMD -MP
OPT     ?= -O2 -g
DB      ?= kenes.db
# Where objects and binaries go; a second checkout or a parallel worker can
# use its own (make BUILD=build-x ...).
BUILD   ?= build
LISTEN  ?= 127.0.0.1:8080
.DEFAULT_GOAL := all

# Package flags come from pkg-config once the packages are there: $(BUILD)/pkg.mk
# is (re)made after scripts/install-deps.sh has run, then make restarts.
-include $(BUILD)/pkg.mk

SRC      := $(shell find src -name '*.c' ! -path 'src/main.c' | sort) $(BUILD)/gen/static_css.c $(BUILD)/gen/migrations.c
UNIT_SRC := $(wildcard tests/unit/test_*.c)

# ---- normal build --------------------------------------------------------
OBJ := $(SRC:%.c=$(BUILD)/obj/%.o)
$(BUILD)/obj/%.o: %.c $(BUILD)/pkg.mk
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(OPT) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/libkenes.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/kenes: $(BUILD)/obj/src/main.o $(BUILD)/libkenes.a
	$(CC) $(OPT) -o $@ $^ $(PKG_LIBS) -lm -lpthread

UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libkenes.a tests/unit/kt.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Itests/unit $(OPT) $(PKG_CFLAGS) -o $@ $< $(BUILD)/libkenes.a $(PKG_LIBS) -lm -lpthread

# ---- sanitizer build (ASan + UBSan) ---------------------------------------
SAN := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SOBJ := $(SRC:%.c=$(BUILD)/asan/obj/%.o)
$(BUILD)/asan/obj/%.o: %.c $(BUILD)/pkg.mk
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SAN) $(PKG_CFLAGS) -c $< -o $@
$(BUILD)/asan/libkenes.a: $(SOBJ)
	@rm -f $@
	ar rcs $@ $^
$(BUILD)/asan/kenes: $(BUILD)/asan/obj/src/main.o $(BUILD)/asan/libkenes.a
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS) -lm -lpthread
SUNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/asan/tests/%)
$(BUILD)/asan/tests/%: tests/unit/%.c $(BUILD)/asan/libkenes.a tests/unit/kt.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Itests/unit $(SAN) $(PKG_CFLAGS) -o $@ $< $(BUILD)/asan/libkenes.a $(PKG_LIBS) -lm -lpthread

# ---- fuzz targets (clang, libFuzzer) --------------------------------------
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
FOBJ := $(SRC:%.c=$(BUILD)/fuzz/obj/%.o)
$(BUILD)/fuzz/obj/%.o: %.c $(BUILD)/pkg.mk
	@mkdir -p $(dir $@)
	clang $(BASE_CFLAGS) -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer $(PKG_CFLAGS) -c $< -o $@
$(BUILD)/fuzz/libkenes.a: $(FOBJ)
	@rm -f $@
	ar rcs $@ $^
$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/fuzz/libkenes.a
	@mkdir -p $(dir $@)
	clang $(BASE_CFLAGS) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/fuzz/libkenes.a $(PKG_LIBS) -lm -lpthread

# ---- generated sources: static assets embedded in the binary ----------------
$(BUILD)/gen/static_css.c: static/kenes.css scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $< kn_css > $@.tmp && mv $@.tmp $@

# the directory too: its time moves when a migration is removed (a checkout of
# an older commit), which the remaining files' times do not show
$(BUILD)/gen/migrations.c: $(wildcard src/store/migrations/*.sql) src/store/migrations scripts/embed-migrations.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-migrations.sh src/store/migrations > $@.tmp && mv $@.tmp $@

# ---- dependencies ----------------------------------------------------------
$(BUILD)/.deps-build: scripts/install-deps.sh
	@mkdir -p $(BUILD)
	sh scripts/install-deps.sh build
	@touch $@
$(BUILD)/pkg.mk: $(BUILD)/.deps-build
	@echo "PKG_CFLAGS := $$(pkg-config --cflags $(PKGS))" > $@.tmp
	@echo "PKG_LIBS := $$(pkg-config --libs $(PKGS))" >> $@.tmp
	@mv $@.tmp $@

# ---- translations ------------------------------------------------------------
LANGS := ru kk
MO := $(LANGS:%=$(BUILD)/locale/%.mo)
$(BUILD)/locale/%.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<
# messages handed to these functions are interface strings too
XGETTEXT_FLAGS := --from-code=UTF-8 --package-name=kenes --no-location --sort-output -k_ -kN_ -kNG_:1,2 \
	-kkn_fail:5 -kkn_view_error:3 -kkn_ferr_add:3 -kkn_api_error:5
po/kenes.pot: $(shell find src -name '*.c' | sort)
	xgettext $(XGETTEXT_FLAGS) -o $@ $^

# ---- top-level targets -------------------------------------------------------
.PHONY: all run test unit asan fuzz fuzz-replay checksrc bench crashtest clean deps pot
all: $(BUILD)/kenes $(MO)

deps:
	sh scripts/install-deps.sh build

run: deps
	$(MAKE) all
	@if [ ! -e "$(DB)" ]; then \
		./$(BUILD)/kenes migrate --db sqlite:$(DB) && \
		./$(BUILD)/kenes demo --db sqlite:$(DB); \
	else echo "kenes: $(DB) exists, keeping it"; fi
	./$(BUILD)/kenes serve --db sqlite:$(DB) --listen $(LISTEN)

unit: $(BUILD)/kenes $(UNIT_BIN)
	sh tests/unit/run.sh $(BUILD)/tests

asan: $(BUILD)/asan/kenes $(SUNIT_BIN)
	sh tests/unit/run.sh $(BUILD)/asan/tests

test:
	sh scripts/install-deps.sh test
	$(MAKE) all $(UNIT_BIN) $(BUILD)/asan/kenes $(SUNIT_BIN) $(FUZZ_BIN)
	BUILD=$(BUILD) sh tests/run-all.sh

checksrc:
	sh scripts/checksrc.sh

fuzz: $(FUZZ_BIN)
	sh tests/fuzz/run.sh $(or $(FUZZ_SECONDS),60)

fuzz-replay: $(FUZZ_BIN)
	sh tests/fuzz/replay.sh

bench:
	sh scripts/install-deps.sh bench
	$(MAKE) all
	sh bench/run.sh

crashtest: all
	sh tests/crash/run.sh long

pot: po/kenes.pot

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
