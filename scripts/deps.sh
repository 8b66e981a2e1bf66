#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs the host packages that building and testing parclass needs.
# Idempotent and quiet: it only calls apt-get for packages that are missing.
set -euo pipefail

pkgs=(build-essential flex bison bc libelf-dev libssl-dev dwarves cpio
      busybox-static qemu-system-x86 sparse xz-utils kmod perl g++
      libc6-dev coreutils gawk gcc-multilib libieee1284-3-dev
      dkms dh-dkms debhelper lintian fakeroot pkg-config)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ "${#missing[@]}" -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
