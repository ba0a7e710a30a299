#pragma once
// What a message fanned out by the hub carries: delivery rules differ (docs/PROTOCOL.md §3).
// Readings may be conflated or rate-limited (latest wins); a status is a transition and is kept apart.
namespace sb {

enum class message_kind { reading, status };

}  // namespace sb
