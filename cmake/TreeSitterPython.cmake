# tree-sitter-python is not packaged by Debian. We take the npm package tarball of a
# version whose parser.c is ABI 14 (Debian's libtree-sitter 0.20.7 accepts 13-14) and
# compile its generated sources. Nothing of it is committed: it lives under .deps/.
set(TREE_SITTER_PYTHON_VERSION 0.23.6)
set(TREE_SITTER_PYTHON_DIR "${CMAKE_SOURCE_DIR}/.deps/tree-sitter-python-${TREE_SITTER_PYTHON_VERSION}"
    CACHE PATH "Unpacked tree-sitter-python npm package")

if(NOT EXISTS "${TREE_SITTER_PYTHON_DIR}/src/parser.c")
  find_program(NPM npm REQUIRED)
  set(_stage "${CMAKE_SOURCE_DIR}/.deps/stage")
  file(MAKE_DIRECTORY "${_stage}")
  message(STATUS "Fetching tree-sitter-python ${TREE_SITTER_PYTHON_VERSION} with npm pack")
  execute_process(
    COMMAND ${NPM} pack --silent tree-sitter-python@${TREE_SITTER_PYTHON_VERSION}
    WORKING_DIRECTORY "${_stage}" RESULT_VARIABLE _rc OUTPUT_VARIABLE _tarball
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "npm pack tree-sitter-python@${TREE_SITTER_PYTHON_VERSION} failed (${_rc})")
  endif()
  file(ARCHIVE_EXTRACT INPUT "${_stage}/${_tarball}" DESTINATION "${_stage}")
  file(REMOVE_RECURSE "${TREE_SITTER_PYTHON_DIR}")
  file(RENAME "${_stage}/package" "${TREE_SITTER_PYTHON_DIR}")
  file(REMOVE_RECURSE "${_stage}")
endif()

add_library(tree_sitter_python STATIC
  "${TREE_SITTER_PYTHON_DIR}/src/parser.c"
  "${TREE_SITTER_PYTHON_DIR}/src/scanner.c")
# Its own tree_sitter/parser.h must win over the one Debian installs with the runtime.
target_include_directories(tree_sitter_python BEFORE PRIVATE "${TREE_SITTER_PYTHON_DIR}/src")
target_compile_options(tree_sitter_python PRIVATE -w)
set_target_properties(tree_sitter_python PROPERTIES POSITION_INDEPENDENT_CODE ON)
