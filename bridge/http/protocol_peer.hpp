#pragma once
// One WebSocket connection as the client protocol sees it: where its replies go, its security
// state, its hub identity. Implemented by ws_session; a fake in the protocol's unit tests.
#include <string>

#include "http/connection_guard.hpp"
#include "hub/hub.hpp"
#include "wire/out_message.hpp"

namespace sb {

class protocol_peer {
public:
    virtual ~protocol_peer() = default;

    virtual void send_text(const std::string& json) = 0;          // a control reply, never conflated
    virtual void deliver(const out_message_ptr& m) = 0;           // a snapshot message, in order
    virtual void close(int code, const std::string& reason) = 0;  // a close frame, then the socket
    virtual connection_guard& guard() = 0;
    virtual hub::client_id hub_id() const = 0;
    virtual std::string remote() const = 0;    // "ip:port", for log lines
    virtual std::string resource() const = 0;  // the handshake's request target, for log lines
};

}  // namespace sb
