file(READ "${IN}" _text)
file(WRITE "${OUT}" "#include <string_view>\nnamespace ${NS} {\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL} = R\"tritonpile_embed(${_text})tritonpile_embed\";\n}\n")
