#pragma once
// SenML (RFC 8428) JSON packs: an array of records with base fields resolved (docs/CONVENTIONS.md).
#include <rapidjson/document.h>

#include "normalize/fields.hpp"

namespace sb::detail {

// Base fields (bn, bt, bu, bv, bs) apply to their record and every later one until
// redefined. id = bn + n with '/' mapped to '.' and leading '/' dropped (the topic id when
// both are empty); value = v (+bv), vs, vb or s (+bs); unit = u, else bu for numbers (v, s);
// time = bt + t in seconds, below 2^28 relative to receive time (RFC 8428 §4.5.3: no bt, or a
// small one, means relative to "now"). Records with no value (only base fields, or vd data)
// are skipped; none left -> no_value. An array without any object is not a pack -> no_value.
// Wrongly typed fields, non-object records and unknown must-understand fields ("..._") ->
// invalid_json.
check read_senml(const rapidjson::Value& pack, reading_sink& sink);

}  // namespace sb::detail
