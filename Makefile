# kpidesk: `make run` opens the program, `make test` runs every test,
# `make deb` builds the Debian package into build/deb/.
# Both first install what is missing (Debian packages; as root with apt-get,
# otherwise the exact apt-get line is printed), then configure and build.

PACKAGES := gcc meson ninja-build pkg-config libncurses-dev libsqlite3-dev \
            libiniparser-dev check tmux valgrind libxml2-utils gettext \
            mandoc bash-completion zsh cppcheck clang-format \
            libzip-dev libxml2-dev libxlsxwriter-dev libreoffice-calc-nogui \
            libjansson-dev sqlite3
BUILD    := build
ASAN     := build-asan
MESON_SETUP = meson setup --fatal-meson-warnings

.PHONY: all deps build run test test-plain test-asan test-valgrind deb bench clean

all: build

deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "kpidesk needs these Debian packages:$$missing"; \
	    echo "run:  sudo apt-get update && sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

$(BUILD)/build.ninja:
	$(MESON_SETUP) $(BUILD)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

run: build
	./$(BUILD)/kpidesk

test: build
	$(MAKE) --no-print-directory test-plain test-asan test-valgrind

test-plain:
	meson test -C $(BUILD) --print-errorlogs

$(ASAN)/build.ninja:
	$(MESON_SETUP) $(ASAN) -Db_sanitize=address,undefined \
	  -Dc_args=-fno-sanitize-recover=all -Dc_link_args=-fno-sanitize-recover=all

test-asan: $(ASAN)/build.ninja
	meson compile -C $(ASAN)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(ASAN) --print-errorlogs --no-suite static

# The unit tests under valgrind's wrapper; the black-box scenarios run
# valgrind around each command themselves (KPIDESK_VALGRIND=1).
test-valgrind:
	meson test -C $(BUILD) --setup valgrind --suite unit --print-errorlogs
	KPIDESK_VALGRIND=1 meson test -C $(BUILD) --suite blackbox --timeout-multiplier 10 --print-errorlogs

# The Debian package: dpkg-buildpackage writes into the parent directory,
# so it runs on a copy of the tree in a temporary directory; the .deb (and
# its .buildinfo and .changes) land in build/deb/, checked by lintian.
# PACKAGES already holds every Build-Depends of debian/control (checked
# again by dpkg-buildpackage); these are the packaging tools.
DEB_PACKAGES := build-essential debhelper dpkg-dev lintian python3
deb:
	@$(MAKE) --no-print-directory deps PACKAGES="$(PACKAGES) $(DEB_PACKAGES)"
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir "$$tmp/kpidesk"; \
	tar -c --exclude=./.git --exclude='./build*' . | tar -x -C "$$tmp/kpidesk"; \
	(cd "$$tmp/kpidesk" && dpkg-buildpackage -us -uc -b); \
	mkdir -p $(BUILD)/deb; \
	mv "$$tmp"/*.deb "$$tmp"/*.buildinfo "$$tmp"/*.changes $(BUILD)/deb/; \
	lintian --fail-on error $(BUILD)/deb/*.changes; \
	ls -l $(BUILD)/deb/*.deb

# Timings are not tests: `make bench` builds a release binary in build-bench
# and prints bench/run.sh's table (the 10k/100k/1M files are built once).
build-bench/build.ninja:
	$(MESON_SETUP) build-bench --buildtype=release

BENCH_PACKAGES := sqlite3 time bc
bench:
	@$(MAKE) --no-print-directory deps PACKAGES="$(PACKAGES) $(BENCH_PACKAGES)"
	@$(MAKE) --no-print-directory build-bench/build.ninja
	meson compile -C build-bench
	bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN) build-bench
