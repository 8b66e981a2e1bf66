# SPDX-License-Identifier: GPL-2.0
#
#   make                    build parclass/parclass.ko for the running kernel
#   make KDIR=/path/to/kdir build it against another kernel's build tree
#   make demo               boot a VM with an emulated LPT and run a narrated session
#   make check              run every test lane in VMs (see README.md)
#   make bench              parclass against ppdev and lp, in one VM boot
#   make check LANES="debian-6.12 gates"   run only some lanes
#   make dkms-install       put the module's source under /usr/src and let DKMS
#                           build and install it for the running kernel
#   make dkms-remove        take it out of DKMS again
#   make udev-install       the udev rule: /dev/parclass 0660, group lp
#   make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
LANES ?=

.PHONY: all modules clean check demo bench tools install modules_install \
	dkms-source dkms-install dkms-remove udev-install

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

# The library, its headers, parclassctl and the man pages parclassctl(1)
# and parclass(4), libparclass(3), the udev rule. The module itself: make
# modules_install, or make dkms-install.
install: tools
	$(MAKE) -C tools install

# DKMS: the module's source tree as dkms.conf expects it, in
# $(DESTDIR)/usr/src/parclass-VERSION (the parclass-dkms package ships
# the same tree).
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DKMS_SRC := $(DESTDIR)/usr/src/parclass-$(DKMS_VERSION)

dkms-source:
	install -d $(DKMS_SRC)/parclass $(DKMS_SRC)/include/uapi/linux
	install -m 0644 dkms.conf $(DKMS_SRC)/
	install -m 0644 parclass/Kbuild parclass/*.c parclass/*.h $(DKMS_SRC)/parclass/
	install -m 0644 include/uapi/linux/parclass.h $(DKMS_SRC)/include/uapi/linux/

dkms-install: dkms-source
	dkms add -m parclass -v $(DKMS_VERSION)
	dkms build -m parclass -v $(DKMS_VERSION)
	dkms install -m parclass -v $(DKMS_VERSION)

dkms-remove:
	dkms remove -m parclass -v $(DKMS_VERSION) --all
	rm -rf $(DKMS_SRC)

udev-install:
	$(MAKE) -C tools udev-install

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
