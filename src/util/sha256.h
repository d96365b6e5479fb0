// SHA-256 over OpenSSL's libcrypto, for content digests and checksums.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace kb::util {

/// An incremental SHA-256.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t size);
  void Update(std::string_view s) { Update(s.data(), s.size()); }
  /// The digest as 64 lowercase hex digits. Call once, at the end.
  std::string Hex();

 private:
  evp_md_ctx_st* ctx_;
};

/// The SHA-256 of a file's bytes in hex; nullopt when it cannot be read.
std::optional<std::string> FileSha256(const std::string& path);

}  // namespace kb::util
