# Third-party libraries, all from Debian 12 packages (see .ci/install-deps).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(GTest REQUIRED)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(ARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
pkg_check_modules(YAMLCPP REQUIRED IMPORTED_TARGET yaml-cpp)
pkg_check_modules(CRYPTO REQUIRED IMPORTED_TARGET libcrypto)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(FMT REQUIRED IMPORTED_TARGET fmt)
# Python ints of any size in the template engine.
pkg_check_modules(GMP REQUIRED IMPORTED_TARGET gmp)
# Unicode data files (SpecialCasing.txt, ...) read at build time to make
# src/tmpl's full case tables: Debian's unicode-data.
if(NOT EXISTS /usr/share/unicode/SpecialCasing.txt AND NOT KB_UCD_DIR)
  message(FATAL_ERROR "unicode-data missing: apt-get install unicode-data")
endif()
# HTML5 named character references (the striptags filter decodes them),
# read at build time: Debian's libhtml-html5-entities-perl.
if(NOT EXISTS /usr/share/perl5/HTML/HTML5/Entities.pm AND
   NOT KB_HTML5_ENTITIES_PM)
  message(FATAL_ERROR "libhtml-html5-entities-perl missing: "
                      "apt-get install libhtml-html5-entities-perl")
endif()
if(KB_BENCH)
  find_package(benchmark REQUIRED)
endif()

# kb_add_tests(NAME SOURCES... LIBS ...): one GoogleTest binary per library,
# registered with CTest so `ctest -R Name` runs one area.
function(kb_add_tests name)
  cmake_parse_arguments(T "" "LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  if(NOT T_LABEL)
    set(T_LABEL unit)
  endif()
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    PROPERTIES LABELS ${T_LABEL}
    DISCOVERY_TIMEOUT 60)
endfunction()
