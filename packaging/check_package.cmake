# CTest check that `cpack` works from the build tree: builds the .deb into a scratch folder and
# verifies it carries the programs, the desktop entry, the icon and the demo data.
# Run as: cmake -DBUILD_DIR=... -DOUT_DIR=... -DGUI=ON|OFF -P check_package.cmake
file(REMOVE_RECURSE "${OUT_DIR}")
execute_process(COMMAND ${CMAKE_CPACK_COMMAND} -G DEB -B "${OUT_DIR}" WORKING_DIRECTORY "${BUILD_DIR}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cpack failed (${rc}):\n${out}\n${err}")
endif()
file(GLOB debs "${OUT_DIR}/momq-studio_*.deb")
list(LENGTH debs count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one momq-studio .deb in ${OUT_DIR}, found ${count}")
endif()
execute_process(COMMAND dpkg-deb -c ${debs} OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
set(required bin/momq share/momq-studio/demo/club.sql share/momq-studio/demo/movies.schema.json)
if(GUI)
  list(APPEND required bin/momq-studio share/applications/momq-studio.desktop
       share/icons/hicolor/scalable/apps/momq-studio.svg)
endif()
foreach(path IN LISTS required)
  string(FIND "${listing}" "/${path}\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${debs} lacks ${path}:\n${listing}")
  endif()
endforeach()
message(STATUS "package ok: ${debs}")
