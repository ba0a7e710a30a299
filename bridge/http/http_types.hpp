#pragma once
// Transport-free HTTP request and reply, so routing is a pure function tested without sockets.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "auth/room_scope.hpp"

namespace sb {

struct http_request {
    std::string method;   // "GET", "HEAD", ...
    std::string target;   // origin-form: path plus optional "?query", still percent-encoded
    room_scope scope = room_scope::everything();  // the sensors the request's token covers
    // May change state (DELETE /api/sensors/{id}): its token has the admin scope, or, without
    // --token-file, it came straight from a loopback peer (no proxy's forwarding headers).
    bool admin = false;
    std::string accept = {};  // the Accept header (series answers in CSV when it prefers text/csv)
};

struct http_reply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers
    // Set for an answer made on another thread (a series read from disk): the listener defers
    // the response and calls this with a function that sends the final reply (from any thread;
    // it is handed to the network thread). The fields above are then unused.
    std::function<void(std::function<void(http_reply)>)> deferred;
};

// {"error":{"code":code,"message":message}} with the given status.
http_reply json_error(int status, std::string_view code, std::string_view message);

}  // namespace sb
