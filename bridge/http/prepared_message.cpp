#include "http/prepared_message.hpp"

#include <memory>

namespace sb {

prepared_message::prepared_message(std::string text) {
    using message_type = websocketpp::config::asio::message_type;
    namespace wsframe = websocketpp::frame;
    // A server frame is unmasked; a prepared message skips websocketpp's per-send framing.
    wsframe::basic_header header(wsframe::opcode::text, text.size(), true, false);
    wsframe::extended_header extended(text.size());
    auto msg = std::make_shared<message_type>(message_type::con_msg_man_ptr(), wsframe::opcode::text, 0);
    msg->set_header(wsframe::prepare_header(header, extended));
    // The serializer sizes its buffer for the worst escaping (about three times what a reading
    // takes): a sensor's latest message is kept for snapshots, so it gives the rest back.
    if (text.capacity() > text.size() + 32) text.shrink_to_fit();
    msg->get_raw_payload() = std::move(text);
    msg->set_prepared(true);
    wire_ = std::move(msg);
}

out_message_ptr make_prepared_message(std::string text) { return std::make_shared<const prepared_message>(std::move(text)); }

}  // namespace sb
