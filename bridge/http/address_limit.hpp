#pragma once
// Open WebSocket connections per source address, against --max-connections-per-ip. Behind a
// reverse proxy every client has the proxy's address: leave the limit off (0) there.
#include <cstddef>
#include <string>
#include <unordered_map>

namespace sb {

class address_limit {
public:
    explicit address_limit(std::size_t max_per_address) : max_(max_per_address) {}

    // Counts one more connection from address; false (and not counted) when at the limit.
    bool try_add(const std::string& address);
    void remove(const std::string& address);
    std::size_t count(const std::string& address) const;

private:
    std::size_t max_;  // 0: no limit (still counted)
    std::unordered_map<std::string, std::size_t> counts_;
};

}  // namespace sb
