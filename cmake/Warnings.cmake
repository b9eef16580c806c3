# SPDX-License-Identifier: MIT
# The project's private warnings list and sanitizer options (style.md "Build").
set(EVSED_WARNINGS
    -Wall -Wextra -Wshadow -Wconversion -Wformat=2 -Wmissing-prototypes
    -Wstrict-prototypes -Wvla -Wno-sign-conversion -Wundef -Wpointer-arith
    -Wcast-qual -Wwrite-strings -Wno-missing-field-initializers)

option(EVSED_WERROR "Treat warnings as errors" OFF)
option(EVSED_SANITIZE "Build with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)

function(evsed_target_options tgt)
  target_compile_options(${tgt} PRIVATE ${EVSED_WARNINGS})
  if(EVSED_WERROR)
    target_compile_options(${tgt} PRIVATE -Werror)
  endif()
endfunction()

if(EVSED_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
