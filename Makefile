# SPDX-License-Identifier: GPL-2.0
#
#   make                    build parclass/parclass.ko for the running kernel
#   make KDIR=/path/to/kdir build it against another kernel's build tree
#   make check              run every test lane in VMs (see README.md)
#   make check LANES="debian-6.12 gates"   run only some lanes
#   make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
LANES ?=

.PHONY: all modules clean check

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf build

check:
	./scripts/check.sh $(LANES)
