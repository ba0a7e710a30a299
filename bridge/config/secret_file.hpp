#pragma once
// A secret kept in a file of its own (--mqtt-password-file): never an option's value, never
// logged. Start-up only.
#include <string>

namespace sb {

// The file's bytes without trailing line ends. Throws std::runtime_error naming the option
// (not the secret) when it cannot be read.
std::string read_secret_file(const std::string& path, const std::string& option);

}  // namespace sb
