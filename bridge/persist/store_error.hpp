#pragma once
// A storage failure at start-up (open, schema, recovery): thrown, caught in main.
#include <stdexcept>

namespace sb {

struct store_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace sb
