#include "support/log_file.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace sb_it {

std::string read_whole_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string tail_lines(const std::filesystem::path& file, std::size_t n) {
    const std::string text = read_whole_file(file);
    std::size_t pos = text.size();
    if (pos > 0 && text[pos - 1] == '\n') --pos;
    for (std::size_t seen = 0; pos > 0; --pos) {
        if (text[pos - 1] == '\n' && ++seen == n) break;
    }
    return text.substr(pos);
}

void write_file(const std::filesystem::path& file, const std::string& content) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace sb_it
