# Runs inside `cmake --install`: CMAKE_INSTALL_PREFIX is the prefix of this install.
# Puts the systemd unit in <prefix>/lib/systemd/system (on systemd's unit path for /usr and
# /usr/local) and the configuration in /etc/sensor-bridge (prefix /usr) or <prefix>/etc/sensor-bridge,
# keeping a configuration that is already there.
set(prefix "${CMAKE_INSTALL_PREFIX}")
if(prefix STREQUAL "/usr")
  set(SB_CONFDIR "/etc/sensor-bridge")
else()
  set(SB_CONFDIR "${prefix}/etc/sensor-bridge")
endif()
set(SB_BINDIR "${prefix}/${SB_BINDIR_REL}")
set(SB_DOCDIR "${prefix}/${SB_DOCDIR_REL}")

# scripts/package.sh sets SB_SERVICE_USER: the package makes that system user in its postinst.
if(DEFINED ENV{SB_SERVICE_USER} AND NOT "$ENV{SB_SERVICE_USER}" STREQUAL "")
  set(SB_UNIT_IDENTITY "User=$ENV{SB_SERVICE_USER}\nGroup=$ENV{SB_SERVICE_USER}")
else()
  set(SB_UNIT_IDENTITY "DynamicUser=yes")
endif()

configure_file("${SB_PACKAGING_SOURCE}/systemd/sensor-bridge.service.in"
               "${SB_PACKAGING_BINARY}/sensor-bridge.service" @ONLY)
# file(INSTALL) puts DESTDIR in front of an absolute DESTINATION itself.
file(INSTALL "${SB_PACKAGING_BINARY}/sensor-bridge.service" DESTINATION "${prefix}/lib/systemd/system")

set(conf "$ENV{DESTDIR}${SB_CONFDIR}/sensor-bridge.conf")
if(EXISTS "${conf}")
  message(STATUS "Keeping: ${conf} (the new sample is ${SB_DOCDIR}/sensor-bridge.conf.example)")
else()
  file(INSTALL "${SB_PACKAGING_SOURCE}/sensor-bridge.conf" DESTINATION "${SB_CONFDIR}")
endif()
