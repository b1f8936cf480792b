# Run the built posture with ARGS and write its standard output to OUT (the man pages and
# completion scripts of CMakeLists.txt): cmake -DEXE=... -DARGS=a;b -DOUT=... -P doc.cmake
get_filename_component(dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
execute_process(COMMAND "${EXE}" ${ARGS} OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "${EXE} ${ARGS}: exit ${rc}")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
