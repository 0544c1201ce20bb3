# SPDX-License-Identifier: GPL-2.0
#
#   make                         build damon_pause.ko for the running kernel
#   make KDIR=/usr/src/linux-headers-<ver>   ... or for any header set
#   make KVERSION=<ver>          ... or for /lib/modules/<ver>/build (DKMS)
#   make check                   the whole test suite, in QEMU guests
#   make check-quick             its inner loop: static checks, KUnit and
#                                a scenario of each concern on 6.12 (~10 min)
#   make package-check           just the packages (deb, rpm, DKMS; root)
#   make package-check-arm64     the .deb's DKMS in an arm64 Debian 12
#                                chroot, under qemu-user (root; minutes)
#   make demo                    the demo, in a QEMU guest
#   make bench                   benchmarks against the in-kernel DAMON, in
#                                a QEMU guest: Documentation/benchmarks.md
#   make style                   checkpatch over our sources
#
# The target kernel is KDIR, else KVERSION's build dir; `uname -r` is only
# the last resort when neither is given.

KVERSION ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVERSION)/build
PWD := $(shell pwd)

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean

check:
	bash tests/check.sh

check-quick:
	DP_QUICK=1 bash tests/check.sh

package-check:
	bash tests/package/check.sh

package-check-arm64:
	bash tests/package/arm64-dkms.sh

demo:
	bash tests/demo.sh

bench:
	bash tests/bench/bench.sh

style:
	bash tests/style.sh

.PHONY: all modules clean check check-quick package-check package-check-arm64 demo bench style
