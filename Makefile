# SPDX-License-Identifier: GPL-2.0
#
#   make                    build parclass/parclass.ko for the running kernel
#   make KDIR=/path/to/kdir build it against another kernel's build tree
#   make demo               boot a VM with an emulated LPT and run a narrated session
#   make check              run every test lane in VMs (see README.md)
#   make bench              parclass against ppdev and lp, in one VM boot
#   make check LANES="debian-6.12 gates"   run only some lanes
#   make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
LANES ?=

.PHONY: all modules clean check demo bench tools install modules_install

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

# The library, its headers, parclassctl and the man pages parclassctl(1)
# and parclass(4). The module itself: make modules_install.
install: tools
	$(MAKE) -C tools install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools clean
	rm -rf build

demo:
	./scripts/deps.sh
	./scripts/lane.sh demo build/demo

# parclass against ppdev and lp in the same VM boot (README: Performance).
bench:
	./scripts/deps.sh
	./scripts/lane.sh bench build/bench

check:
	./scripts/check.sh $(LANES)
