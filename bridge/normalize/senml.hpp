#pragma once
// SenML (RFC 8428) JSON packs: an array of records with base fields resolved (DESIGN.md §4).
#include <rapidjson/document.h>

#include "normalize/fields.hpp"

namespace sb::detail {

// Base fields (bn, bt, bu, bv, bs) apply to their record and every later one until
// redefined. id = bn + n (the topic id when both are empty); value = v (+bv), vs, vb or
// s (+bs); unit = u or bu; time = bt + t in seconds, below 2^28 relative to receive time.
// Records with no value (only base fields, or vd data) are skipped; none left -> no_value.
// Wrongly typed fields and unknown must-understand fields ("..._") -> invalid_json.
check read_senml(const rapidjson::Value& pack, reading_sink& sink);

}  // namespace sb::detail
