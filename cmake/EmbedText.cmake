# embed_text(TARGET NAMESPACE SYMBOL FILE): compiles FILE's contents into TARGET as
#   namespace NAMESPACE { extern const std::string_view SYMBOL; }
# so data such as tree-sitter queries live in their own files yet ship inside the binary.
function(embed_text target ns symbol file)
  get_filename_component(_abs "${file}" ABSOLUTE)
  set(_out "${CMAKE_CURRENT_BINARY_DIR}/embedded_${symbol}.cc")
  add_custom_command(
    OUTPUT "${_out}"
    COMMAND ${CMAKE_COMMAND} -DIN=${_abs} -DOUT=${_out} -DNS=${ns} -DSYMBOL=${symbol}
            -P "${CMAKE_SOURCE_DIR}/cmake/EmbedTextScript.cmake"
    DEPENDS "${_abs}" "${CMAKE_SOURCE_DIR}/cmake/EmbedTextScript.cmake"
    COMMENT "Embedding ${file}")
  target_sources(${target} PRIVATE "${_out}")
endfunction()
