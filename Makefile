# Kenes build. `make` builds build/kenes; `make run` installs what is missing,
# builds, creates kenes.db with the demo council and serves it; `make test`
# runs the whole suite (both backends, sanitizers, fuzz corpus replay).

PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium libcmark libcurl
CC      ?= gcc
WARN    := -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2 -Wno-missing-field-initializers
BASE_CFLAGS := -std=c17 -D_GNU_SOURCE $(WARN) -Isrc -MMD -MP
OPT     ?= -O2 -g
DB      ?= kenes.db
LISTEN  ?= 127.0.0.1:8080

# Package flags come from pkg-config once the packages are there: build/pkg.mk
# is (re)made after scripts/install-deps.sh has run, then make restarts.
-include build/pkg.mk

SRC      := $(shell find src -name '*.c' ! -path 'src/main.c' | sort) build/gen/static_css.c build/gen/migrations.c
UNIT_SRC := $(wildcard tests/unit/test_*.c)

# ---- normal build --------------------------------------------------------
OBJ := $(SRC:%.c=build/obj/%.o)
build/obj/%.o: %.c build/pkg.mk
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(OPT) $(PKG_CFLAGS) -c $< -o $@

build/libkenes.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

build/kenes: build/obj/src/main.o build/libkenes.a
	$(CC) $(OPT) -o $@ $^ $(PKG_LIBS) -lm -lpthread

UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
build/tests/%: tests/unit/%.c build/libkenes.a tests/unit/kt.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Itests/unit $(OPT) $(PKG_CFLAGS) -o $@ $< build/libkenes.a $(PKG_LIBS) -lm -lpthread

# ---- sanitizer build (ASan + UBSan) ---------------------------------------
SAN := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SOBJ := $(SRC:%.c=build/asan/obj/%.o)
build/asan/obj/%.o: %.c build/pkg.mk
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SAN) $(PKG_CFLAGS) -c $< -o $@
build/asan/libkenes.a: $(SOBJ)
	@rm -f $@
	ar rcs $@ $^
build/asan/kenes: build/asan/obj/src/main.o build/asan/libkenes.a
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS) -lm -lpthread
SUNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)
build/asan/tests/%: tests/unit/%.c build/asan/libkenes.a tests/unit/kt.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Itests/unit $(SAN) $(PKG_CFLAGS) -o $@ $< build/asan/libkenes.a $(PKG_LIBS) -lm -lpthread

# ---- fuzz targets (clang, libFuzzer) --------------------------------------
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
FOBJ := $(SRC:%.c=build/fuzz/obj/%.o)
build/fuzz/obj/%.o: %.c build/pkg.mk
	@mkdir -p $(dir $@)
	clang $(BASE_CFLAGS) -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer $(PKG_CFLAGS) -c $< -o $@
build/fuzz/libkenes.a: $(FOBJ)
	@rm -f $@
	ar rcs $@ $^
build/fuzz/%: tests/fuzz/%.c build/fuzz/libkenes.a
	@mkdir -p $(dir $@)
	clang $(BASE_CFLAGS) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< build/fuzz/libkenes.a $(PKG_LIBS) -lm -lpthread

# ---- generated sources: static assets embedded in the binary ----------------
build/gen/static_css.c: static/kenes.css scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $< kn_css > $@.tmp && mv $@.tmp $@

build/gen/migrations.c: $(wildcard src/store/migrations/*.sql) scripts/embed-migrations.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-migrations.sh src/store/migrations > $@.tmp && mv $@.tmp $@

# ---- dependencies ----------------------------------------------------------
build/.deps-build: scripts/install-deps.sh
	@mkdir -p build
	sh scripts/install-deps.sh build
	@touch $@
build/pkg.mk: build/.deps-build
	@echo "PKG_CFLAGS := $$(pkg-config --cflags $(PKGS))" > $@.tmp
	@echo "PKG_LIBS := $$(pkg-config --libs $(PKGS))" >> $@.tmp
	@mv $@.tmp $@

# ---- translations ------------------------------------------------------------
LANGS := ru kk
MO := $(LANGS:%=build/locale/%.mo)
build/locale/%.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<
# messages handed to these functions are interface strings too
XGETTEXT_FLAGS := --from-code=UTF-8 --package-name=kenes --no-location --sort-output -k_ -kN_ \
	-kkn_fail:5 -kkn_view_error:3 -kkn_ferr_add:3 -kkn_api_error:5
po/kenes.pot: $(shell find src -name '*.c' | sort)
	xgettext $(XGETTEXT_FLAGS) -o $@ $^

# ---- top-level targets -------------------------------------------------------
.PHONY: all run test unit asan fuzz fuzz-replay checksrc bench crashtest clean deps pot
all: build/kenes $(MO)

deps:
	sh scripts/install-deps.sh build

run: deps
	$(MAKE) all
	@if [ ! -e "$(DB)" ]; then \
		./build/kenes migrate --db sqlite:$(DB) && \
		./build/kenes demo --db sqlite:$(DB); \
	else echo "kenes: $(DB) exists, keeping it"; fi
	./build/kenes serve --db sqlite:$(DB) --listen $(LISTEN)

unit: build/kenes $(UNIT_BIN)
	sh tests/unit/run.sh build/tests

asan: build/asan/kenes $(SUNIT_BIN)
	sh tests/unit/run.sh build/asan/tests

test:
	sh scripts/install-deps.sh test
	$(MAKE) all $(UNIT_BIN) build/asan/kenes $(SUNIT_BIN) $(FUZZ_BIN)
	sh tests/run-all.sh

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
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
