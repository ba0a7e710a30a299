#!/usr/bin/env bash
# Builds the Debian package: build/pkg/sensor-bridge_<version>_<arch>.deb (docs/OPERATIONS.md,
# "The Debian package"). Debian's own tools, no CPack: `cmake --install` stages the tree,
# dpkg-shlibdeps computes the library dependencies from the binaries, dpkg-deb packs it.
# Usage: scripts/package.sh [--arch amd64|arm64] [--no-build] [--version V]
#   --arch      the native architecture (default) from build/, or arm64 cross-built in
#               build-arm64/ by scripts/cross-arm64.sh
#   --no-build  package what is built (the test suite builds first, then packages)
#   --version   the package version (default: the project's, from CMakeLists.txt)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"
umask 022

native=$(dpkg --print-architecture)
arch=$native
build=1
version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch=${2:?--arch needs amd64 or arm64}; shift 2 ;;
    --no-build) build=0; shift ;;
    --version) version=${2:?--version needs a value}; shift 2 ;;
    *) echo "package: unknown option $1 (--arch amd64|arm64, --no-build, --version V)" >&2; exit 2 ;;
  esac
done
case "$arch" in
  "$native") build_dir=build; strip_cmd=strip; run_prefix=() ;;
  arm64) build_dir=build-arm64; strip_cmd=aarch64-linux-gnu-strip; run_prefix=(qemu-aarch64-static) ;;
  *) echo "package: --arch $arch: only $native (native) and arm64 (cross) are built here" >&2; exit 2 ;;
esac
[ -n "$version" ] || version=$(sed -n 's/^project(sensor_bridge VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)

if [ "$build" -eq 1 ]; then
  if [ "$arch" = "$native" ]; then
    "$root/scripts/setup.sh" package
    "$root/scripts/build.sh" --target sensor-bridge sensor-sim
  else
    "$root/scripts/cross-arm64.sh"
  fi
fi
for b in sensor-bridge sensor-sim; do
  [ -x "$build_dir/bin/$b" ] || { echo "package: $build_dir/bin/$b is not built (run without --no-build)" >&2; exit 1; }
done
[ -f web/dist/index.html ] || { echo "package: web/dist is not built (scripts/build.sh builds it)" >&2; exit 1; }

out="$root/build/pkg"
stage="$out/stage-$arch"
rm -rf "$stage"
mkdir -p "$stage" "$out"
echo "package: staging $arch $version"
DESTDIR="$stage" SB_SERVICE_USER=sensor-bridge cmake --install "$build_dir" --prefix /usr >/dev/null

# Debian 12 keeps units in /lib/systemd/system (lintian: systemd-service-file-outside-lib).
mkdir -p "$stage/lib/systemd"
mv "$stage/usr/lib/systemd/system" "$stage/lib/systemd/system"
rmdir "$stage/usr/lib/systemd" "$stage/usr/lib" 2>/dev/null || true
# Source maps help a developer, not a gateway.
find "$stage/usr/share/sensor-bridge/web" -name '*.map' -delete
for b in sensor-bridge sensor-sim; do
  "$strip_cmd" --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/bin/$b"
done

doc="$stage/usr/share/doc/sensor-bridge"
install -m 0644 packaging/debian/copyright "$doc/copyright"
gzip -9nc packaging/debian/changelog > "$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"

# Man pages from --help (help2man runs the binary: the arm64 one under qemu).
man="$stage/usr/share/man/man1"
mkdir -p "$man"
wrap_dir=$(mktemp -d)
trap 'rm -rf "$wrap_dir"' EXIT
for b in sensor-bridge sensor-sim; do
  case "$b" in
    sensor-bridge) what="MQTT sensor readings to a live dashboard, WebSocket rooms and REST" ;;
    sensor-sim) what="simulated MQTT sensors for sensor-bridge" ;;
  esac
  printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${run_prefix[*]}" "$root/$build_dir/bin/$b" > "$wrap_dir/$b"
  chmod +x "$wrap_dir/$b"
  help2man --no-info --no-discard-stderr --section 1 --name "$what" \
    --version-string "$version" "$wrap_dir/$b" > "$man/$b.1"
  gzip -9n "$man/$b.1"
  chmod 0644 "$man/$b.1.gz"
done

# Library dependencies from the binaries (dpkg-shlibdeps reads the arm64 libraries' shlibs
# through multiarch; it wants a debian/control to stand in).
shlib_dir="$wrap_dir/src"
mkdir -p "$shlib_dir/debian"
printf 'Source: sensor-bridge\n\nPackage: sensor-bridge\nArchitecture: any\n' > "$shlib_dir/debian/control"
multiarch=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)
shlibs=$(cd "$shlib_dir" && DEB_HOST_ARCH=$arch DEB_HOST_MULTIARCH=$multiarch \
  dpkg-shlibdeps -O -l"/usr/lib/$multiarch" -e"$stage/usr/bin/sensor-bridge" -e"$stage/usr/bin/sensor-sim" 2>"$wrap_dir/shlibdeps.err" \
  | sed -n 's/^shlibs:Depends=//p') || { cat "$wrap_dir/shlibdeps.err" >&2; exit 1; }
[ -n "$shlibs" ] || { echo "package: dpkg-shlibdeps found no dependencies" >&2; cat "$wrap_dir/shlibdeps.err" >&2; exit 1; }

mkdir -p "$stage/DEBIAN"
installed_kib=$(du -sk --apparent-size "$stage" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@INSTALLED_SIZE@|$installed_kib|" \
    -e "s|@SHLIBS@|$shlibs|" packaging/debian/control.in > "$stage/DEBIAN/control"
(cd "$stage" && find etc -type f | sed 's|^|/|' | sort) > "$stage/DEBIAN/conffiles"
for s in postinst prerm postrm; do install -m 0755 "packaging/debian/$s" "$stage/DEBIAN/$s"; done
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles" "$stage/DEBIAN/md5sums"

deb="$out/sensor-bridge_${version}_${arch}.deb"
rm -f "$deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "package: $deb ($(du -k "$deb" | cut -f1) KiB, installed $installed_kib KiB)"
echo "package: Depends: $shlibs, adduser"
