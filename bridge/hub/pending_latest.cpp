#include "hub/pending_latest.hpp"

namespace sb {

bool pending_latest::put(const std::string& sensor_id, message_kind kind, const out_message_ptr& f) {
    index& idx = index_of(kind);
    auto [it, fresh] = idx.try_emplace(sensor_id);
    if (!fresh) {
        bytes_ -= it->second->message->text().size();
        order_.erase(it->second);
    }
    it->second = order_.insert(order_.end(), entry{sensor_id, kind, f});
    bytes_ += f->text().size();
    return !fresh;
}

void pending_latest::pop_front() {
    const entry& e = order_.front();
    bytes_ -= e.message->text().size();
    index_of(e.kind).erase(e.sensor_id);
    order_.pop_front();
}

void pending_latest::clear() {
    order_.clear();
    for (auto& idx : by_kind_) idx.clear();
    bytes_ = 0;
}

}  // namespace sb
