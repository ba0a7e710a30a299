# Cross build for arm64 (aarch64) on a Debian amd64 host, against Debian multiarch: the compiler
# from crossbuild-essential-arm64, the libraries from the -dev packages' arm64 builds
# (libpaho-mqttpp-dev:arm64 ...) in /usr/lib/aarch64-linux-gnu, headers in /usr/include (shared
# by both architectures). scripts/setup.sh arm64 installs all of it; scripts/cross-arm64.sh uses
# this file. Usage: cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Multiarch: no separate sysroot. With the library architecture set, find_library and
# find_package look in /usr/lib/aarch64-linux-gnu (and its cmake/ for PahoMqttCpp, websocketpp,
# GTest) besides the architecture-independent /usr/include, /usr/share/cmake (CLI11, RapidJSON);
# never in /usr/lib/x86_64-linux-gnu.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)   # build tools (pkg-config, node) run on the host
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Belt and braces: the host's libraries and package configurations are never candidates.
list(APPEND CMAKE_IGNORE_PATH
  /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/cmake)

# pkg-config (libzstd, and OpenSSL's hints): only the arm64 .pc files and the
# architecture-independent ones. PKG_CONFIG_LIBDIR replaces the default search path.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# Runs arm64 binaries on the host (ctest in the arm64 tree, gtest discovery). Always explicit:
# binfmt_misc may not be registered (containers, CI). No -L: the arm64 loader and libc are
# libc6:arm64's (/lib/ld-linux-aarch64.so.1), beside the other arm64 libraries.
find_program(SB_QEMU_AARCH64 qemu-aarch64-static)
if(SB_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SB_QEMU_AARCH64})
endif()
