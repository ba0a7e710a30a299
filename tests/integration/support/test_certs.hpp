#pragma once
// Throwaway certificates for the TLS tests, made at test time with the openssl command line
// (Debian's openssl package) in the test's temp dir: EC P-256 keys, valid for two days.
#include <filesystem>
#include <string>
#include <vector>

namespace sb_it {

struct cert_files {
    std::filesystem::path cert;  // PEM certificate
    std::filesystem::path key;   // PEM private key, unencrypted
};

class test_ca {
public:
    // Creates dir/<stem>.pem and dir/<stem>.key. Throws std::runtime_error with openssl's output.
    explicit test_ca(const std::filesystem::path& dir, const std::string& stem = "ca");

    const std::filesystem::path& cert() const noexcept { return ca_.cert; }

    // A certificate signed by this CA for subject CN=cn, with these subjectAltNames
    // ("IP:127.0.0.1", "DNS:localhost"; none when empty), for a server or (client) a client.
    cert_files issue(const std::string& stem, const std::string& cn, const std::vector<std::string>& alt_names,
                     bool client = false) const;

private:
    std::filesystem::path dir_;
    cert_files ca_;
    mutable int serial_ = 1;
};

// A self-signed certificate (its own trust anchor) for CN=cn with these subjectAltNames.
cert_files self_signed_cert(const std::filesystem::path& dir, const std::string& stem, const std::string& cn,
                            const std::vector<std::string>& alt_names);

// key encrypted with a passphrase (AES-256), written to out.
void encrypt_key(const std::filesystem::path& key, const std::filesystem::path& out, const std::string& passphrase);

}  // namespace sb_it
