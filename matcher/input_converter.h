// Test helpers that hand back their first argument converted: FlagGems' tests compare against
// torch run on `ref_inp = to_reference(inp, True)`, which moves inp to the CPU or to float64.
// A lifted reference may read such a variable as the argument it was made from.
#pragma once

#include <string>

namespace tritonpile::matcher {

// Whether the function defined first in `text` returns only its first parameter or
// conversions of it (.to(...), .float(), .clone(), .detach(), .contiguous(), ...), or None,
// and returns it at least once: a variable it assigns from them may be converted again, and
// may not be bound to anything else.
bool returns_its_first_argument(const std::string& text);

}  // namespace tritonpile::matcher
