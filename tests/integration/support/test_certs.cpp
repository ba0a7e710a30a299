#include "support/test_certs.hpp"

#include <stdexcept>

#include "support/child_process.hpp"
#include "support/log_file.hpp"

namespace sb_it {
namespace {

using namespace std::chrono_literals;

constexpr const char* openssl_bin = "/usr/bin/openssl";
const std::vector<std::string> new_ec_key{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};

void run_openssl(const std::filesystem::path& dir, std::vector<std::string> args) {
    args.insert(args.begin(), openssl_bin);
    const auto log = dir / "openssl.log";
    child_process p(spawn_options{args, log, {}, dir, {}});
    const auto code = p.wait_exit(20000ms);
    if (!code || *code != 0) {
        p.stop();
        throw std::runtime_error("openssl " + args[1] + " failed:\n" + tail_lines(log, 10));
    }
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
    return out;
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace

test_ca::test_ca(const std::filesystem::path& dir, const std::string& stem)
    : dir_(dir), ca_{dir / (stem + ".pem"), dir / (stem + ".key")} {
    run_openssl(dir_, with({"req", "-x509"}, with(new_ec_key, {"-keyout", ca_.key.string(), "-out", ca_.cert.string(),
                                                               "-days", "2", "-subj", "/CN=sensor-bridge test CA " + stem,
                                                               "-addext", "keyUsage=critical,keyCertSign,cRLSign"})));
}

cert_files test_ca::issue(const std::string& stem, const std::string& cn, const std::vector<std::string>& alt_names,
                          bool client) const {
    const cert_files out{dir_ / (stem + ".pem"), dir_ / (stem + ".key")};
    const auto csr = dir_ / (stem + ".csr");
    const auto ext = dir_ / (stem + ".ext");
    std::string extensions = "basicConstraints=CA:FALSE\nextendedKeyUsage=" +
                             std::string(client ? "clientAuth" : "serverAuth") + "\n";
    if (!alt_names.empty()) extensions += "subjectAltName=" + joined(alt_names) + "\n";
    write_file(ext, extensions);
    run_openssl(dir_, with({"req"}, with(new_ec_key, {"-keyout", out.key.string(), "-out", csr.string(), "-subj",
                                                      "/CN=" + cn})));
    run_openssl(dir_, {"x509", "-req", "-in", csr.string(), "-CA", ca_.cert.string(), "-CAkey", ca_.key.string(),
                       "-set_serial", std::to_string(++serial_), "-days", "2", "-out", out.cert.string(), "-extfile",
                       ext.string()});
    return out;
}

cert_files self_signed_cert(const std::filesystem::path& dir, const std::string& stem, const std::string& cn,
                            const std::vector<std::string>& alt_names) {
    const cert_files out{dir / (stem + ".pem"), dir / (stem + ".key")};
    std::vector<std::string> args = with({"req", "-x509"}, with(new_ec_key, {"-keyout", out.key.string(), "-out",
                                                                             out.cert.string(), "-days", "2", "-subj",
                                                                             "/CN=" + cn}));
    if (!alt_names.empty()) args = with(args, {"-addext", "subjectAltName=" + joined(alt_names)});
    run_openssl(dir, args);
    return out;
}

void encrypt_key(const std::filesystem::path& key, const std::filesystem::path& out, const std::string& passphrase) {
    run_openssl(key.parent_path(), {"pkey", "-in", key.string(), "-aes256", "-passout", "pass:" + passphrase, "-out",
                                    out.string()});
}

}  // namespace sb_it
