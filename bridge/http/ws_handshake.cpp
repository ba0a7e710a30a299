#include "http/ws_handshake.hpp"

#include "core/log.hpp"
#include "http/query_string.hpp"
#include "http/rest_auth.hpp"

namespace sb {

std::string peer_address(const ws_connection_ptr& con) {
    asio::error_code ec;
    const auto ep = con->get_raw_socket().remote_endpoint(ec);
    if (ec) return {};
    const auto a = ep.address();
    if (a.is_v6() && a.to_v6().is_v4_mapped()) {
        return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
    }
    return a.to_string();
}

bool direct_loopback_peer(const ws_connection_ptr& con) {
    asio::error_code ec;
    const auto ep = con->get_raw_socket().remote_endpoint(ec);
    if (ec) return false;
    const auto a = ep.address();
    const bool loopback = a.is_loopback() || (a.is_v6() && a.to_v6().is_v4_mapped() &&
                                              asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).is_loopback());
    return loopback && con->get_request_header("Forwarded").empty() && con->get_request_header("X-Forwarded-For").empty();
}

handshake_token check_handshake(const ws_connection_ptr& con, const token_verifier* verifier, std::int64_t now_ms) {
    const auto& offered = con->get_requested_subprotocols();
    if (!offered.empty()) {
        // RFC 6455 §4.2.2: the answer names one of the offered protocols; browsers fail the
        // connection when they offered some and none comes back.
        websocketpp::lib::error_code ec;
        con->select_subprotocol(choose_subprotocol(offered), ec);
    }
    handshake_token out;
    if (!verifier) return out;
    presented_token p = find_token(con->get_request_header("Authorization"), offered, con->get_resource());
    out.source = p.source;
    if (p.source == token_source::none) return out;
    out.result = p.malformed ? auth_result{auth_failure::malformed} : verifier->verify(p.token, now_ms);
    out.token = std::move(p.token);
    return out;
}

std::optional<http_reply> authorize_http(const ws_connection_ptr& con, const token_verifier& verifier,
                                         http_request& req, std::int64_t now_ms, std::uint64_t& failures) {
    if (!path_needs_token(split_target(req.target).path)) return std::nullopt;
    presented_token p = find_token(con->get_request_header("Authorization"), {}, req.target);
    auth_result r = p.source == token_source::none ? auth_result{auth_failure::missing}
                    : p.malformed                  ? auth_result{auth_failure::malformed}
                                                   : verifier.verify(p.token, now_ms);
    if (auto* grant = std::get_if<auth_grant>(&r)) {
        req.scope = std::move(grant->scope);
        req.admin = grant->admin;
        return std::nullopt;
    }
    const auth_failure why = std::get<auth_failure>(r);
    if (why != auth_failure::missing) ++failures;
    log_auth_refused(con, p.source, why);
    return unauthorized_reply(why);
}

void log_auth_refused(const ws_connection_ptr& con, token_source source, auth_failure why) {
    log_auth_refused(con->get_remote_endpoint(), con->get_resource(), source, why);
}

}  // namespace sb
