#include "http/connection_guard.hpp"

#include <algorithm>

namespace sb {
namespace {
const room_scope nothing = *room_scope::parse({});
}  // namespace

connection_guard::connection_guard(const guard_limits& limits, bool auth_required, clock::time_point now)
    : limits_(limits), bucket_(limits.message_rate, limits.message_burst, now), opened_(now), last_heard_(now) {
    if (!auth_required) grant_.emplace();
}

connection_guard::verdict connection_guard::on_message(clock::time_point now) {
    last_heard_ = now;
    if (bucket_.take(now)) {
        refused_in_row_ = 0;
        return verdict::admit;
    }
    ++refused_in_row_;
    const auto strikes = static_cast<std::uint64_t>(std::max(limits_.message_burst, 8.0));
    if (refused_in_row_ >= strikes) return verdict::close;
    return refused_in_row_ == 1 ? verdict::refuse_notify : verdict::refuse;
}

const room_scope& connection_guard::scope() const noexcept { return grant_ ? grant_->scope : nothing; }

connection_guard::deadline connection_guard::check(clock::time_point now, std::int64_t wall_ms) const noexcept {
    if (!grant_ && now - opened_ >= limits_.auth_timeout) return deadline::auth_timeout;
    if (grant_ && grant_->valid_until_ms && wall_ms > *grant_->valid_until_ms) return deadline::token_expired;
    if (limits_.idle_timeout.count() > 0 && now - last_heard_ >= limits_.idle_timeout) return deadline::idle;
    return deadline::none;
}

}  // namespace sb
