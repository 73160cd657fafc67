# package.cmake - the Debian package, built by CPack without a debian/
# directory:
#
#	cmake -S . -B build && cmake --build build -j2
#	(cd build && cpack -G DEB)	-> build/mucd_VERSION_ARCH.deb
#
# The package installs to /usr whatever CMAKE_INSTALL_PREFIX the build
# was configured with (/usr/sbin/mucd, its man pages, the example config in
# /usr/share/mucd, the unit in /usr/lib/systemd/system).  Its maintainer
# scripts are in component/deb/: postinst creates the mucd system user,
# /var/lib/mucd and /etc/mucd.conf; prerm stops the service on remove;
# postrm removes the data, the config and the user on purge only.
# tests/install/deb.sh builds, installs and purges it.

set(CPACK_PACKAGE_NAME mucd)
set(CPACK_PACKAGE_VENDOR "the mucd project")
set(CPACK_PACKAGE_CONTACT "mucd maintainers <mucd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
	"XEP-0045 Multi-User Chat service as an XMPP external component")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
	"mucd serves the chat rooms of one domain for Prosody or ejabberd,
attached as an external component (XEP-0114).  Rooms, affiliations and
registrations live in an SQLite database that operators may edit with
plain SQL while mucd runs.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Absolute paths during the staged install, so the unit's ExecStart= is
# written with /usr (see component/CMakeLists.txt).
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prosody | ejabberd, sqlite3")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
	${CMAKE_CURRENT_LIST_DIR}/deb/postinst
	${CMAKE_CURRENT_LIST_DIR}/deb/prerm
	${CMAKE_CURRENT_LIST_DIR}/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_GENERATOR DEB)
include(CPack)
