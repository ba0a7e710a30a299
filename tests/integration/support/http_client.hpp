#pragma once
// A tiny blocking HTTP/1.1 client on Asio: the target is sent exactly as given (no
// normalisation), so traversal attempts reach the server unmodified.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sb_it {

struct http_response {
    int status = 0;                              // 0: no answer (see error)
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string error;

    std::string header(const std::string& lower_name) const;
};

using header_list = std::vector<std::pair<std::string, std::string>>;

// Sends Host: 127.0.0.1:<port> unless extra_headers has a "Host".
http_response http_request(std::uint16_t port, const std::string& method, const std::string& target,
                           const header_list& extra_headers = {},
                           std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

inline http_response http_get(std::uint16_t port, const std::string& target) {
    return http_request(port, "GET", target);
}

}  // namespace sb_it
