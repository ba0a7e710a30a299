#include "config/secret_file.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace sb {

std::string read_secret_file(const std::string& path, const std::string& option) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + option + " '" + path + "'");
    std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    return secret;
}

}  // namespace sb
