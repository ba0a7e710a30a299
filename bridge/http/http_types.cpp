#include "http/http_types.hpp"

#include <cstddef>
#include <string_view>

#include "core/json_writer.hpp"
#include "core/utf8_excerpt.hpp"

namespace sb {
namespace {

// Messages may quote client input; keep replies small and valid UTF-8 whatever the caller passes.
constexpr std::size_t max_error_message_bytes = 512;
constexpr std::size_t max_error_code_bytes = 64;

}  // namespace

http_reply json_error(int status, std::string_view code, std::string_view message) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_key(w, "error");
    w.StartObject();
    write_key(w, "code");
    write_string(w, utf8_excerpt(code, max_error_code_bytes));
    write_key(w, "message");
    write_string(w, utf8_excerpt(message, max_error_message_bytes));
    w.EndObject();
    w.EndObject();

    http_reply reply;
    reply.status = status;
    reply.content_type = "application/json";
    reply.body.assign(buf.GetString(), buf.GetSize());
    return reply;
}

}  // namespace sb
