#include "http/address_limit.hpp"

namespace sb {

bool address_limit::try_add(const std::string& address) {
    std::size_t& n = counts_[address];
    if (max_ > 0 && n >= max_) {
        if (n == 0) counts_.erase(address);
        return false;
    }
    ++n;
    return true;
}

void address_limit::remove(const std::string& address) {
    auto it = counts_.find(address);
    if (it == counts_.end()) return;
    if (--it->second == 0) counts_.erase(it);
}

std::size_t address_limit::count(const std::string& address) const {
    auto it = counts_.find(address);
    return it == counts_.end() ? 0 : it->second;
}

}  // namespace sb
