# Packaging: CPack generators for every platform, the Qt deployment step where
# Qt provides one, and the installer test. Included last from the top-level
# CMakeLists.txt, after every target and install rule exists.
#
#   cmake --build build --target package     (or installer/build-packages.sh)
#
# Linux: pixelperf_<version>_<arch>.deb (Qt from the distribution, dependencies
# from dpkg-shlibdeps) and a .tar.gz of the same tree. Windows: an NSIS
# installer and a .zip. macOS: a .dmg (DragNDrop). On Windows and macOS the Qt
# libraries and plugins are copied next to the programs by windeployqt /
# macdeployqt, run from the install step that CPack drives.

set(CPACK_PACKAGE_NAME pixelperf)
set(CPACK_PACKAGE_VENDOR "The PixelPerf developers")
set(CPACK_PACKAGE_CONTACT "The PixelPerf developers <pixelperf@example.invalid>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "performance lab for an image-processing pipeline")
set(CPACK_PACKAGE_DESCRIPTION
    "PixelPerf runs a folder of photos through load, resize, blur, sharpen,\n\
contrast, brightness, convert and save on a pool of worker threads while a\n\
live dashboard shows where the time and the memory go, stage by stage and\n\
thread by thread. Each classic inefficiency is a toggle: flip it, run again\n\
and compare the two runs. The headless pixelperf-cli does the same for\n\
scripts and CI and writes JSON, CSV, HTML and trace reports.")
set(CPACK_PACKAGE_HOMEPAGE_URL ${PROJECT_HOMEPAGE_URL})
set(CPACK_PACKAGE_INSTALL_DIRECTORY PixelPerf)
set(CPACK_PACKAGE_EXECUTABLES pixelperf PixelPerf)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
# Not stripped: the call-stack sampler names our own functions from the
# programs' symbol table (.symtab), which strip removes; a Release build has
# no debug sections to strip. lintian's unstripped-binary-or-object is
# overridden, with this reason (installer/lintian-overrides).
set(CPACK_STRIP_FILES OFF)
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "\\\\.swp$")

if(WIN32)
    set(CPACK_GENERATOR NSIS ZIP)
elseif(APPLE)
    set(CPACK_GENERATOR DragNDrop TGZ)
else()
    set(CPACK_GENERATOR DEB TGZ)
endif()

# Debian: Depends is computed from the executables' ELF dependencies; the Qt
# plugins are loaded at run time, so dpkg-shlibdeps cannot see them: the
# platform plugins, and Qt SQL's SQLite driver that the run history uses.
set(CPACK_DEBIAN_PACKAGE_NAME pixelperf)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "The PixelPerf developers <pixelperf@example.invalid>")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6sql6-sqlite")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-image-formats-plugins")

# Windows: Start-menu entry from CPACK_PACKAGE_EXECUTABLES, no PATH changes.
set(CPACK_NSIS_PACKAGE_NAME PixelPerf)
set(CPACK_NSIS_DISPLAY_NAME PixelPerf)
set(CPACK_NSIS_INSTALLED_ICON_NAME bin\\\\pixelperf.exe)
set(CPACK_NSIS_URL_INFO_ABOUT ${PROJECT_HOMEPAGE_URL})
set(CPACK_NSIS_CONTACT ${CPACK_PACKAGE_CONTACT})
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MODIFY_PATH OFF)

# macOS: the .app bundle (and pixelperf-cli) on a compressed disk image.
set(CPACK_DMG_VOLUME_NAME PixelPerf)
set(CPACK_DMG_FORMAT UDBZ)

# windeployqt / macdeployqt through Qt's deploy script (Qt >= 6.3). Qt 6.4 has
# no deployment tool for Linux, where the .deb depends on the system's Qt, and
# on macOS deploys app bundles only: there pixelperf-cli still needs a Qt.
if(COMMAND qt_generate_deploy_app_script AND (WIN32 OR APPLE))
    set(pixelperf_deploy_targets)
    if(TARGET pixelperf)
        list(APPEND pixelperf_deploy_targets pixelperf)
    endif()
    if(WIN32)
        list(APPEND pixelperf_deploy_targets pixelperf-cli)
    endif()
    foreach(target IN LISTS pixelperf_deploy_targets)
        qt_generate_deploy_app_script(TARGET ${target}
            FILENAME_VARIABLE pixelperf_deploy_script
            NO_UNSUPPORTED_PLATFORM_ERROR)
        install(SCRIPT ${pixelperf_deploy_script})
    endforeach()
endif()

include(CPack)

# The packaging test builds the .deb from this build tree. Sanitizer builds
# and builds without the GUI do not produce the package we ship.
if(PIXELPERF_BUILD_TESTS AND PIXELPERF_BUILD_GUI AND NOT PIXELPERF_ASAN AND NOT PIXELPERF_TSAN
    AND CMAKE_SYSTEM_NAME STREQUAL "Linux")
    add_subdirectory(tests/installer)
endif()
