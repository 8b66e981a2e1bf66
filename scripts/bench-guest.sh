#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What "make bench" runs in the guest: parclass against ppdev and lp on
# parport1, in this one boot.
parclass-bench 1
